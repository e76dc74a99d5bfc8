import { randomFillSync } from "crypto";
import { MemoryCredentialStore, ReaderClient } from "../../client";
import type { RandomSource } from "../../hal/random";
import { softwareCrypto } from "../../kernel/crypto";
import { createCard, SIM_CAPK_FILE, SIM_CRL_FILE } from "../../host-sim/cards";
import { loadFleet } from "../../host-sim/fleet/fleet";
import { LoopbackPeripheral } from "../../host-sim/gatt/loopback";
import { SimulatedBattery } from "../../host-sim/hardware/battery";
import { VirtualIndicators } from "../../host-sim/hardware/indicators";
import { VirtualKeypad } from "../../host-sim/hardware/keypad";
import { createVirtualIcc, type VirtualIcc } from "../../host-sim/icc/virtual-icc";
import { IssuerHost } from "../../host-sim/issuer";
import { VirtualMagstripeHead } from "../../host-sim/magstripe/virtual-head";
import contactlessConfigJson from "../../host-sim/picc/contactless-config.json";
import { ModeledClock } from "../../host-sim/picc/modeled-clock";
import { placeCards } from "../../host-sim/picc/run-contactless";
import { VirtualField } from "../../host-sim/picc/virtual-field";
import { authorizationRequest, onlineAnswer } from "../../host-sim/reader/acquirer";
import { hostClock } from "../../host-sim/reader/sim-reader";
import { SwipingHead } from "../../host-sim/sim/swiping-head";
import terminalConfigJson from "../../host-sim/sim/terminal-config.json";
import { factoryReader, simulatedReaderBuild, type ReaderStorages } from "../../host-sim/xs-bridge/reader-factory";
import { PairingDisplay } from "../../host-sim/xs-bridge/phone-rig";
import { startReaderDevice, type ReaderDevice } from "../../host-sim/xs-bridge/reader-device";
import type { EngineName } from "../../host-sim/xs-engine/kernel-engine";
import type { TransactionOutcome } from "../../kernel/protocol";
import { MposError } from "../../kernel/errors";
import { firmwareInternalErrorLine } from "../../firmware/app/reader-firmware";

// Issue 10, item 4: the very firmware of the ESP32 (firmware/app/firmware-boot.ts, as
// firmware/device.ts starts it) on the real XS engine, its HAL served by the simulator's hardware
// over the bridge: a phone (the client SDK over the in-memory GATT loopback) pairs with it - the
// passkey and the pairing code read off the simulated display - and pays with a chip card and an
// online PIN typed on the keypad, a tap and a swipe. The same firmware on Node, on the same kind of
// hardware, reaches the same outcomes. A power cycle (a new engine over the same storages)
// recovers the transaction log. P-256 pairing costs the XS engine some 16M compute units: each
// engine pairs once.

const random: RandomSource = { fill: (b) => { randomFillSync(b); } };
const fleet = loadFleet();
/** 2025-06-15 12:00:00 UTC: the cards' dates give the same answer every year. */
const BUILD_TIME = Date.UTC(2025, 5, 15, 12, 0, 0) / 1000;
const CONFIG = {
  terminal: terminalConfigJson, capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE, contactless: JSON.parse(JSON.stringify(contactlessConfigJson)),
};

interface Rig {
  device: ReaderDevice;
  display: PairingDisplay;
  indicators: VirtualIndicators;
  keypad: VirtualKeypad;
  peripheral: LoopbackPeripheral;
  icc: VirtualIcc;
  storages: ReaderStorages;
  logs: string[];
}

interface PowerUpOptions {
  battery?: SimulatedBattery;
  onRestart?(): void;
}

async function powerUp(engine: EngineName, storages?: ReaderStorages, options: PowerUpOptions = {}): Promise<Rig> {
  const s = storages ?? (await factoryReader(random, CONFIG, fleet)).storages;
  const display = new PairingDisplay();
  const indicators = new VirtualIndicators();
  const keypad = new VirtualKeypad();
  const peripheral = new LoopbackPeripheral({ random });
  const icc = createVirtualIcc({ applet: createCard("visa-cda").applet!, protocol: 0 });
  const stripe = createCard("magstripe-only").magstripe!;
  const fieldClock = new ModeledClock();
  const logs: string[] = [];
  const device = await startReaderDevice({
    engine,
    build: simulatedReaderBuild(fleet, BUILD_TIME),
    measureHeap: engine === "xs",
    onLog: (line) => logs.push(line),
    ...(options.onRestart ? { onRestart: options.onRestart } : {}),
    hardware: {
      ...(options.battery ? { battery: options.battery } : {}),
      random, clock: hostClock, ...s, keypad, display, indicators, ble: peripheral,
      contactSlot: icc,
      magstripeHead: new SwipingHead(new VirtualMagstripeHead({ seed: 7 }), stripe),
      nfc: new VirtualField({ clock: fieldClock, cards: placeCards(["visa-cda"], "00000001") }),
    },
  });
  return { device, display, indicators, keypad, peripheral, icc, storages: s, logs };
}

async function pairedPhone(rig: Rig): Promise<ReaderClient> {
  const client = new ReaderClient({
    transport: rig.peripheral.transport(() => rig.display.nextCode("BLE PASSKEY")),
    credentials: new MemoryCredentialStore(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)),
    fleetCaPublicKey: fleet.fleetCaPublicKey, random, preferredMtu: 247, requestTimeoutMs: 60000,
  });
  await client.connect();
  await client.pair({ phoneName: "test phone", code: () => rig.display.nextCode("PAIRING CODE") });
  return client;
}

type Interface = "contact" | "contactless" | "magstripe";

/** What a payment ends with, without what differs from run to run (the envelope's KSN and ciphertext). */
interface Paid {
  result: TransactionOutcome["result"];
  cardInterface: TransactionOutcome["cardInterface"];
  maskedPan: TransactionOutcome["maskedPan"];
  envelope: boolean;
  prompts: string[];
}

async function pay(rig: Rig, phone: ReaderClient, issuer: IssuerHost, amount: number, cardInterface: Interface): Promise<Paid> {
  const tx = await phone.startTransaction({ amount, currency: 840, transactionType: "purchase", interfaces: [cardInterface] }, {
    authorise: async (data) => onlineAnswer(await issuer.authorize(authorizationRequest(data))),
  });
  const prompts: string[] = [];
  for await (const e of tx.events) {
    if (e.kind !== "prompt") continue;
    prompts.push(e.prompt);
    // ISO 9564-1, 5.2: the cardholder types the PIN on the reader's own keypad, then Enter.
    if (e.prompt === "enterPin") rig.keypad.type("1234E");
    // Book 4, 11.2 '10': the cardholder takes the card when the reader asks.
    if (e.prompt === "removeCard") rig.icc.remove();
  }
  const outcome = await tx.outcome;
  return { result: outcome.result, cardInterface: outcome.cardInterface, maskedPan: outcome.maskedPan, envelope: outcome.envelope !== undefined, prompts };
}

/** A phone pays with the three interfaces, one after the other, over one pairing. */
async function threePayments(rig: Rig): Promise<Record<Interface, Paid>> {
  const issuer = new IssuerHost({ crypto: softwareCrypto });
  const phone = await pairedPhone(rig);
  try {
    const contact = await pay(rig, phone, issuer, 1234, "contact");
    const contactless = await pay(rig, phone, issuer, 500, "contactless");
    const magstripe = await pay(rig, phone, issuer, 1234, "magstripe");
    return { contact, contactless, magstripe };
  } finally {
    await phone.disconnect();
  }
}

describe("the reader firmware on the XS engine, its HAL served by the simulator (issue 10, item 4)", () => {
  it("start-up as on the device: configuration, identity and keys read from their namespaces, self-tests pass, the reader idles (WELCOME, first light flashing)", async () => {
    const rig = await powerUp("xs");
    try {
      expect(rig.device.started).toEqual({ kind: "running", selfTest: { passed: expect.any(Number), failed: 0, failedTests: [] }, boot: null, recovery: {}, bondStoreProblem: false });
      expect(rig.display.current()).toEqual(["WELCOME"]);
      // EMV Contactless Book A, 9.2: idle is the first status light flashing.
      expect(rig.indicators.lights).toEqual([true, false, false, false]);
      expect(rig.indicators.flashFirst).toBe(true);
      expect(rig.logs.some((l) => /^mpos: self-tests [0-9]+ passed, 0 failed$/.test(l))).toBe(true);
    } finally {
      await rig.device.close();
    }
  });

  it("a reader with no installed configuration shows NOT CONFIGURED and stays off the air, on both engines", async () => {
    for (const engine of ["xs", "node"] as const) {
      const { storages } = await factoryReader(random, CONFIG, fleet);
      await storages.configStorage.eraseAll();
      const rig = await powerUp(engine, storages);
      try {
        expect(rig.device.started.kind).toBe("not-configured");
        expect(rig.display.current()).toEqual(["NOT CONFIGURED"]);
      } finally {
        await rig.device.close();
      }
    }
  });

  it("a phone pairs and pays - chip with online PIN on the keypad, a tap, a swipe - with the same outcomes as the same firmware on Node; display and lights reach the host", async () => {
    const xs = await powerUp("xs");
    const node = await powerUp("node");
    try {
      const onXs = await threePayments(xs);
      const onNode = await threePayments(node);
      expect(onXs).toEqual(onNode);
      expect(onXs.contact).toMatchObject({ result: "approved", cardInterface: "contact", envelope: true });
      expect(onXs.contact.prompts).toContain("enterPin");
      expect(onXs.contactless).toMatchObject({ result: "approved", cardInterface: "contactless" });
      expect(onXs.magstripe).toMatchObject({ result: "approved", cardInterface: "magstripe", envelope: true });
      for (const p of Object.values(onXs)) expect(p.maskedPan).toMatch(/^[0-9]{6}\*+[0-9]{4}$/);
      // What the firmware showed reached the simulated panel and lights, and they are where Node's are.
      expect(xs.display.history.some((screen) => screen[0] === "ENTER PIN")).toBe(true);
      expect(xs.display.history.map((s) => s[0])).toEqual(node.display.history.map((s) => s[0]));
      expect(xs.indicators.lights).toEqual(node.indicators.lights);
      expect(xs.indicators.tones.length).toBeGreaterThan(0);
      // No PIN digit ever reached the display: only the mask.
      expect(xs.display.history.flat().some((line) => /1234/.test(line))).toBe(false);
      // The XS meter covers the payments.
      const meter = xs.device.meter()!;
      expect(meter.compute).toBeGreaterThan(0);
      expect(meter.peakHeapBytes).toBeGreaterThan(0);
      expect(node.device.meter()).toBeNull();
      expect(xs.device.refused).toEqual([]);
    } finally {
      await xs.device.close();
      await node.device.close();
    }
  });

  it("power cut after the authorization went out: a new engine over the same storages recovers the log, queues the reversal, and the phone collects it", async () => {
    const first = await powerUp("xs");
    const storages = first.storages;
    const phone = await pairedPhone(first);
    let cut: Promise<void> | null = null;
    const tx = await phone.startTransaction({ amount: 1234, currency: 840, transactionType: "purchase", interfaces: ["contact"] }, {
      // The reader loses power while the phone holds its authorization request.
      authorise: () => {
        cut ??= first.device.close();
        return new Promise(() => undefined);
      },
    });
    try {
      for await (const e of tx.events) if (e.kind === "prompt" && e.prompt === "enterPin") first.keypad.type("1234E");
    } catch {
      // the link went down with the reader
    }
    expect(cut).not.toBeNull();
    await cut;
    const second = await powerUp("xs", storages);
    try {
      expect(second.device.started.kind).toBe("running");
      const interrupted = second.device.started.recovery.interrupted;
      expect(interrupted).toMatchObject({ transactionId: expect.any(Number), phase: "online", reversal: true });
      expect(second.logs).toContain(`mpos: transaction ${interrupted!.transactionId} recovered`);
      const again = await pairedPhone(second);
      const reversals = await again.fetchReversals();
      expect(reversals.records.map((r) => [r.transactionId, r.reason, r.amount, r.currency])).toEqual([[interrupted!.transactionId, "powerLoss", 1234, 840]]);
      expect(await again.clearReversals(interrupted!.transactionId)).toBe(1);
      await again.disconnect();
    } finally {
      await second.device.close();
    }
  });

  it("the battery over the bridge: on a 4 % cell the firmware's power manager refuses the payment (BATTERY LOW) and reports the charge; on the charger it takes it", async () => {
    const battery = new SimulatedBattery({ percent: 4, charging: false });
    const rig = await powerUp("xs", undefined, { battery });
    try {
      const phone = await pairedPhone(rig);
      const status = await phone.getStatus();
      expect(status.batteryPercent).toBeLessThan(10);
      expect(status.charging).toBe(false);
      const tx = await phone.startTransaction({ amount: 100, currency: 840, transactionType: "purchase", interfaces: ["contact"] });
      expect(await tx.outcome).toMatchObject({ result: "failed", reason: "batteryLow" });
      expect(rig.display.history.some((screen) => screen[0] === "BATTERY LOW")).toBe(true);
      battery.setCharging(true);
      expect((await phone.getStatus()).charging).toBe(true);
      const issuer = new IssuerHost({ crypto: softwareCrypto });
      expect((await pay(rig, phone, issuer, 500, "contactless")).result).toBe("approved");
      await phone.disconnect();
      expect(rig.device.refused).toEqual([]);
    } finally {
      await rig.device.close();
    }
  });

  it("a phone's REBOOT request reaches the host's onRestart after the firmware answered the phone", async () => {
    let restarts = 0;
    const rig = await powerUp("xs", undefined, { onRestart: () => { restarts++; } });
    try {
      const phone = await pairedPhone(rig);
      await phone.reboot();
      await rig.device.whenIdle();
      await new Promise((r) => setImmediate(r));
      expect(restarts).toBe(1);
      await phone.disconnect();
    } finally {
      await rig.device.close();
    }
  });

  it("a bug met while serving a phone is logged by its type and code, never its message (it may quote the input)", () => {
    const line = firmwareInternalErrorLine(new MposError("frame-decode", "bad frame 4761739001010010"));
    expect(line).toBe("mpos: internal error: MposError (frame-decode)");
    expect(firmwareInternalErrorLine(new TypeError("x is undefined"))).toBe("mpos: internal error: TypeError");
  });
});
