import { randomFillSync } from "crypto";
import { performance } from "perf_hooks";
import type { Clock } from "../../hal/clock";
import type { RandomSource } from "../../hal/random";
import { softwareCrypto } from "../../kernel/crypto";
import { MemoryBondStore, ReaderService, type PaymentEngine } from "../../kernel/protocol";
import { loadFleet, type SimulatedFleet } from "../fleet/fleet";
import { GattBridge } from "../gatt/bridge-server";

// The simulated reader as a phone sees it (issue 9): the kernel's reader service on the GATT bridge
// (a WebSocket server on 127.0.0.1), the fleet's TEST identity, bonds in memory, and a display whose
// passkey and pairing code the simulated user reads.

/** The reader's display, as far as pairing goes: what it shows, and a wait for the next code. */
export class SimDisplay {
  passkey: string | null = null;
  pairingCode: string | null = null;
  private readonly waiters: { kind: "passkey" | "pairing"; resolve(code: string): void }[] = [];

  showPasskey(passkey: string | null): void {
    this.passkey = passkey;
    if (passkey !== null) this.wake("passkey", passkey);
  }

  showPairingCode(code: string | null): void {
    this.pairingCode = code;
    if (code !== null) this.wake("pairing", code);
  }

  /** The passkey on the display, now or as soon as it appears. */
  nextPasskey(): Promise<string> {
    return this.passkey !== null ? Promise.resolve(this.passkey) : new Promise((resolve) => this.waiters.push({ kind: "passkey", resolve }));
  }

  nextPairingCode(): Promise<string> {
    return this.pairingCode !== null ? Promise.resolve(this.pairingCode) : new Promise((resolve) => this.waiters.push({ kind: "pairing", resolve }));
  }

  private wake(kind: "passkey" | "pairing", code: string): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].kind === kind) this.waiters.splice(i, 1)[0].resolve(code);
    }
  }
}

/** The host's clock; its timers never keep the process alive on their own. */
export const hostClock: Clock = {
  nowMs: () => performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => { setTimeout(resolve, ms).unref(); }),
};

export const hostRandom: RandomSource = { fill: (b) => { randomFillSync(b); } };

export interface SimReaderOptions {
  engine: PaymentEngine;
  port?: number;
  fleet?: SimulatedFleet;
  onlineTimeoutMs?: number;
}

export interface SimReader {
  url: string;
  bridge: GattBridge;
  service: ReaderService;
  display: SimDisplay;
  fleet: SimulatedFleet;
  close(): Promise<void>;
}

export async function startSimReader(options: SimReaderOptions): Promise<SimReader> {
  const fleet = options.fleet ?? loadFleet();
  const bridge = await GattBridge.listen({ port: options.port ?? 0 });
  const display = new SimDisplay();
  const service = new ReaderService({
    peripheral: bridge,
    engine: options.engine,
    identity: fleet.readerIdentity,
    bonds: new MemoryBondStore(),
    trustedConfigurationKeys: fleet.trustedConfigurationKeys,
    sha1: (d) => softwareCrypto.sha1(d),
    random: hostRandom,
    clock: hostClock,
    display,
    onlineTimeoutMs: options.onlineTimeoutMs,
  });
  try {
    await service.start();
  } catch (e) {
    await bridge.close();
    throw e;
  }
  return {
    url: bridge.url, bridge, service, display, fleet,
    close: async () => {
      service.stop();
      await bridge.close();
    },
  };
}
