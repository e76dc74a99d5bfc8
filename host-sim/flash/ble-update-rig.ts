import { randomFillSync } from "crypto";
import type { GattConnectOptions, GattTransport } from "../../client/gatt-transport";
import { MemoryCredentialStore } from "../../client/credentials";
import { ReaderClient } from "../../client/reader-client";
import type { RandomSource } from "../../hal/random";
import { softwareCrypto } from "../../kernel/crypto";
import { confirmBoot, type BootOutcome } from "../../kernel/firmware-update/boot-confirm";
import { ActivityLock } from "../../kernel/firmware-update/activity-lock";
import {
  FirmwareUpdateEndpoint, MemoryBondStore, ReaderService, type PaymentEngine, type TransactionOutcome,
} from "../../kernel/protocol";
import { loadFleet, type SimulatedFleet } from "../fleet/fleet";
import { LoopbackPeripheral, type FrameTap, type LoopbackTransport } from "../gatt/loopback";
import { PowerCutError } from "./power-rail";
import { slotVersion, type SimulatedOta } from "./simulated-ota";

// A simulated reader reachable over BLE for the firmware update: the OTA flash, the kernel's
// reader service with its firmware update endpoint, the loopback GATT (host-sim/gatt/loopback.ts),
// and a phone running the SDK's ReaderClient. The reader restarts for real after an install (a new
// reader service over the same flash and bonds), and the phone reconnects through the SDK.

const nodeRandom: RandomSource = { fill: (b) => { randomFillSync(b); } };

export interface BleUpdateRigOptions {
  ota: SimulatedOta;
  publicKey: Uint8Array;
  product: string;
  hardwareRevision: number;
  /** The phone's preferred ATT_MTU (the reader grants at most 247). */
  mtu?: number;
  /** The self-tests of the image that boots; the names of failed tests. Default: none fail. */
  selfTest?(version: string | null): string[];
  /** Sees every frame: tests drop or change frames there. */
  tap?: FrameTap;
  /** The phone's link drops after every this many frames it writes (the transfer resumes). */
  dropEveryFrames?: number;
}

/** A payment engine that only knows what the update needs: who the reader is; a transaction waits for cancel. */
function updateOnlyEngine(fleet: SimulatedFleet, version: () => string): PaymentEngine {
  return {
    deviceInfo: async () => ({ model: fleet.readerModel, serial: fleet.readerSerial, firmwareVersion: version(), configurationVersion: 0, keys: [] }),
    status: async () => ({ batteryPercent: 80, charging: false, cardPresent: [], tampered: false, keysLoaded: true, timeSet: true }),
    runTransaction: (_request, context) => new Promise<TransactionOutcome>((resolve) => {
      context.onCancel(() => resolve({ result: "cancelled", reason: "cancelled", emvData: [] }));
    }),
    reversals: async () => ({ records: [], more: false }),
    clearReversals: async () => 0,
    setTime: async () => undefined,
    configurationVersion: async () => 0,
    configure: async () => undefined,
    reboot: async () => undefined,
  };
}

export class BleUpdateRig {
  readonly fleet = loadFleet();
  readonly bonds = new MemoryBondStore();
  readonly peripheral: LoopbackPeripheral;
  readonly display = { passkey: null as string | null, pairingCode: null as string | null };
  readonly boots: BootOutcome[] = [];
  private service: ReaderService | null = null;
  private endpointValue: FirmwareUpdateEndpoint | null = null;
  private starting: Promise<void> = Promise.resolve();
  private runningVersion = "unknown";

  private transports: ReconnectingTransport[] = [];
  private framesToReader = 0;
  /** Links dropped by dropEveryFrames. */
  drops = 0;

  constructor(private readonly options: BleUpdateRigOptions) {
    const tap: FrameTap = (direction, frame) => {
      const frames = options.tap === undefined ? [frame] : options.tap(direction, frame);
      const every = options.dropEveryFrames;
      if (direction === "to-reader" && every !== undefined && ++this.framesToReader % every === 0) {
        this.drops++;
        Promise.resolve().then(() => this.dropLinks()).catch(() => undefined);
      }
      return frames;
    };
    this.peripheral = new LoopbackPeripheral({ random: nodeRandom, tap });
  }

  /** Every phone's connection drops (out of range, radio interference). */
  async dropLinks(): Promise<void> {
    for (const t of this.transports) await t.drop();
  }

  get ota(): SimulatedOta {
    return this.options.ota;
  }

  get endpoint(): FirmwareUpdateEndpoint {
    if (this.endpointValue === null) throw new Error("ble update rig: the reader is not running");
    return this.endpointValue;
  }

  /** Boots (bootloader, boot confirmation, a rollback restarts once more) and starts the reader service. */
  powerOn(): Promise<void> {
    this.starting = this.boot();
    return this.starting;
  }

  /** Resolves once the reader is up again after a restart in progress. */
  ready(): Promise<void> {
    return this.starting;
  }

  private async boot(): Promise<void> {
    const { ota } = this.options;
    this.service?.stop();
    this.service = null;
    this.endpointValue = null;
    if (!ota.power.powered) ota.power.powerOn();
    for (let attempt = 0; attempt < 3; attempt++) {
      if (ota.boot().slot === null) throw new Error("ble update rig: nothing bootable (the reader is bricked)");
      const outcome = await confirmBoot({
        ota, publicKey: this.options.publicKey,
        selfTest: async () => this.options.selfTest?.(await slotVersion(ota, ota.running())) ?? [],
      });
      this.boots.push(outcome);
      if (outcome.kind !== "rolled-back") break;
    }
    this.runningVersion = (await slotVersion(ota, ota.running())) ?? "unknown";
    const lock = new ActivityLock();
    const endpoint = new FirmwareUpdateEndpoint({
      ota, lock, publicKey: this.options.publicKey, product: this.options.product, hardwareRevision: this.options.hardwareRevision,
      restart: () => { this.restart(); },
    });
    const service = new ReaderService({
      peripheral: this.peripheral,
      engine: updateOnlyEngine(this.fleet, () => this.runningVersion),
      identity: this.fleet.readerIdentity,
      bonds: this.bonds,
      trustedConfigurationKeys: this.fleet.trustedConfigurationKeys,
      sha1: (d) => softwareCrypto.sha1(d),
      random: nodeRandom,
      clock: { nowMs: () => 0, sleep: () => new Promise<void>(() => undefined) },
      display: {
        showPasskey: (p) => { this.display.passkey = p; },
        showPairingCode: (c) => { this.display.pairingCode = c; },
      },
      firmwareUpdate: endpoint,
    });
    await service.start();
    this.endpointValue = endpoint;
    this.service = service;
  }

  /** The firmware restarts (after an install): every connection drops, the reader boots again. */
  restart(): void {
    this.service?.stop();
    this.service = null;
    this.endpointValue = null;
    this.starting = this.options.ota.restart().then(() => this.boot()).catch((e) => {
      if (!(e instanceof PowerCutError)) throw e;
    });
  }

  /** A phone with the SDK, paired with this reader on its first connection. */
  async phone(): Promise<ReaderClient> {
    const transport = new ReconnectingTransport(this);
    this.transports.push(transport);
    const client = new ReaderClient({
      transport,
      fleetCaPublicKey: this.fleet.fleetCaPublicKey,
      credentials: new MemoryCredentialStore(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)),
      random: nodeRandom,
      preferredMtu: this.options.mtu ?? 247,
    });
    await client.connect();
    if (!client.paired) {
      await client.pair({ phoneName: "mpos phone update", code: async () => this.display.pairingCode ?? "" });
    }
    return client;
  }
}

/**
 * The phone's GATT transport across the reader's restarts: each connect() opens a new loopback
 * connection (after the reader is up again), as a phone app reconnects to the same reader.
 */
class ReconnectingTransport implements GattTransport {
  private current: LoopbackTransport | null = null;
  private listener: ((reason: string) => void) | null = null;

  constructor(private readonly rig: BleUpdateRig) {}

  async connect(options: GattConnectOptions): Promise<{ attMtu: number }> {
    await this.rig.ready();
    const t = this.rig.peripheral.transport(async () => this.rig.display.passkey ?? "");
    this.current = t;
    t.onDisconnect((reason) => {
      if (this.current === t) this.listener?.(reason);
    });
    return t.connect(options);
  }

  private get t(): LoopbackTransport {
    if (this.current === null) throw new Error("transport: not connected");
    return this.current;
  }

  readDeviceInformation(): Promise<Uint8Array> { return this.t.readDeviceInformation(); }
  secureLink(): Promise<void> { return this.t.secureLink(); }
  subscribe(onFrame: (frame: Uint8Array) => void): Promise<void> { return this.t.subscribe(onFrame); }
  write(frame: Uint8Array, withResponse: boolean): Promise<void> { return this.t.write(frame, withResponse); }
  disconnect(): Promise<void> { return this.t.disconnect(); }

  /** The SDK registers one listener per connect: the current connection's is the one that counts. */
  onDisconnect(listener: (reason: string) => void): void {
    this.listener = listener;
  }

  /** The link drops (the phone side sees it like any disconnection). */
  async drop(): Promise<void> {
    await this.current?.disconnect();
  }
}
