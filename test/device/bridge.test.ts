import { XsnapHostLink } from "../../hal/xs-bridge/host-link";
import { BridgeWireError, decodeJson, encodeJson, fromWire, toWire } from "../../hal/xs-bridge/wire";
import { MemoryStorage } from "../../host-sim/hardware/memory-storage";
import { ModeledClock } from "../../host-sim/picc/modeled-clock";
import { clockMethods, DeviceServer, randomMethods, storageMethods } from "../../host-sim/xs-bridge/hardware-server";
import { otaMethods } from "../../host-sim/xs-bridge/firmware-hal-server";
import { simulatedReaderOta } from "../../host-sim/xs-bridge/reader-factory";
import { fromHex } from "../../kernel/bytes";

// The XS bridge (hal/xs-bridge, host-sim/xs-bridge): values cross as JSON with bytes in uppercase
// hex, arrive as copies, and the host serves only the HAL's own methods with checked arguments.

function hardware() {
  let n = 0;
  return {
    random: { fill: (b: Uint8Array) => { for (let i = 0; i < b.length; i++) b[i] = n++ & 0xff; } },
    clock: new ModeledClock(),
    storage: new MemoryStorage(),
  };
}

function serverOf(hw: ReturnType<typeof hardware>): DeviceServer {
  const server = new DeviceServer();
  server.add("random", randomMethods(hw.random));
  server.add("clock", clockMethods(hw.clock));
  server.add("storage", storageMethods(hw.storage));
  return server;
}

describe("bridge values", () => {
  it("bytes cross as uppercase hex and come back as a copy", () => {
    const original = fromHex("00A1FF");
    const wire = toWire({ frame: original, n: 3, list: [original], none: undefined });
    expect(wire).toEqual({ frame: { $bytes: "00A1FF" }, n: 3, list: [{ $bytes: "00A1FF" }] });
    const back = fromWire(JSON.parse(JSON.stringify(wire))) as { frame: Uint8Array };
    expect(back.frame).toEqual(original);
    back.frame.fill(0);
    expect(original[1]).toBe(0xa1);
  });

  it("other typed arrays become plain lists of numbers (flux intervals)", () => {
    expect(toWire(Float64Array.of(1.5, 2))).toEqual([1.5, 2]);
  });

  it("refuses what JSON cannot carry faithfully: NaN, functions as values, runaway nesting", () => {
    expect(() => toWire(NaN)).toThrow(BridgeWireError);
    expect(() => toWire(() => 1)).toThrow(BridgeWireError);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => toWire(deep)).toThrow(BridgeWireError);
    expect(() => fromWire({ $bytes: 12 })).toThrow(BridgeWireError);
    expect(() => fromWire({ $bytes: "ABC" })).toThrow();
  });

  it("a message that is not JSON is a typed error", () => {
    expect(() => decodeJson(new TextEncoder().encode("{nope"))).toThrow(BridgeWireError);
    expect(decodeJson(encodeJson({ a: 1 }))).toEqual({ a: 1 });
  });
});

describe("the host serves only the HAL", () => {
  const server = serverOf(hardware());

  it("offers the devices of the simulation, no more", () => {
    expect(server.deviceNames().sort()).toEqual(["clock", "random", "storage"]);
  });

  it("serves a method with its answer, bytes tagged", async () => {
    await expect(server.serve({ device: "random", method: "fill", args: [3] })).resolves.toEqual({ ok: true, value: { $bytes: "000102" } });
    await expect(server.serve({ device: "storage", method: "write", args: ["key.pin", { $bytes: "0102" }] })).resolves.toEqual({ ok: true, value: null });
    await expect(server.serve({ device: "storage", method: "read", args: ["key.pin"] })).resolves.toEqual({ ok: true, value: { $bytes: "0102" } });
  });

  it("refuses an unknown device, an unknown or inherited method, and bad arguments", async () => {
    const refused = async (request: unknown) => {
      const r = await server.serve(request);
      expect(r.ok).toBe(false);
      return r.ok ? "" : r.error.message;
    };
    expect(await refused({ device: "contactSlot", method: "send", args: [] })).toMatch(/no device contactSlot/);
    expect(await refused({ device: "storage", method: "constructor", args: [] })).toMatch(/no method/);
    expect(await refused({ device: "storage", method: "toString", args: [] })).toMatch(/no method/);
    expect(await refused({ device: "random", method: "fill", args: [1e9] })).toMatch(/integer 0 to 4096/);
    expect(await refused({ device: "storage", method: "write", args: ["k", "not bytes"] })).toMatch(/must be bytes/);
    expect(await refused({ device: "clock", method: "sleep", args: [] })).toMatch(/takes 1 argument/);
    expect(await refused("nonsense")).toMatch(/must be an object/);
  });

  it("passes the hardware's own error on with its code (a power cut in storage)", async () => {
    const hw = hardware();
    hw.storage.cutPowerAt(1, "lost");
    const r = await serverOf(hw).serve({ device: "storage", method: "write", args: ["a", { $bytes: "01" }] });
    expect(r).toMatchObject({ ok: false, error: { code: "power-loss" } });
  });
});

describe("the firmware's side of the link", () => {
  it("exists only inside xsnap-worker (no issueCommand on Node)", () => {
    expect(() => new XsnapHostLink({})).toThrow(BridgeWireError);
  });

  it("parks an asynchronous call until the host resumes it, then settles it with the host's answer or error", async () => {
    const link = new XsnapHostLink({ issueCommand: () => encodeJson({ ok: true, value: 7 }) });
    expect(link.callSync("clock", "nowMs")).toBe(7);
    const a = link.call("storage", "read", ["x"]);
    const b = link.call("clock", "sleep", [5]);
    expect((JSON.parse(link.waitingJson()) as { id: number; device: string; method: string }[]).map((r) => [r.id, r.device, r.method])).toEqual([[1, "storage", "read"], [2, "clock", "sleep"]]);
    link.resume(2, { ok: true, value: null });
    link.resume(1, { ok: false, error: { name: "PowerLossError", code: "power-loss", message: "cut" } });
    await expect(b).resolves.toBeNull();
    await expect(a).rejects.toMatchObject({ code: "power-loss", message: "cut" });
    expect(link.waitingJson()).toBe("[]");
    expect(() => link.resume(1, { ok: true, value: null })).toThrow(/no parked request 1/);
  });
});

describe("hardware events reach the firmware on XS", () => {
  it("a tamper switch tripped while the reader idles: the keys are erased and the reader goes out of service", async () => {
    const { startReaderDevice } = await import("../../host-sim/xs-bridge/reader-device");
    const { factoryReader, simulatedReaderBuild } = await import("../../host-sim/xs-bridge/reader-factory");
    const { loadFleet } = await import("../../host-sim/fleet/fleet");
    const { LoopbackPeripheral } = await import("../../host-sim/gatt/loopback");
    const { VirtualDisplay } = await import("../../host-sim/hardware/display");
    const { VirtualIndicators } = await import("../../host-sim/hardware/indicators");
    const { VirtualKeypad } = await import("../../host-sim/hardware/keypad");
    const { SIM_CAPK_FILE, SIM_CRL_FILE } = await import("../../host-sim/cards");
    const terminal = (await import("../../host-sim/sim/terminal-config.json")).default;
    const fleet = loadFleet();
    const hw = hardware();
    const { storages } = await factoryReader(hw.random, { terminal, capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE }, fleet);
    let handler: ((e: { cause: "enclosure" }) => void) | null = null;
    const display = new VirtualDisplay();
    const device = await startReaderDevice({
      engine: "xs",
      build: simulatedReaderBuild(fleet, Date.UTC(2025, 5, 15) / 1000),
      hardware: {
        ...storages, random: hw.random, clock: hw.clock, keypad: new VirtualKeypad(), display, indicators: new VirtualIndicators(),
        ble: new LoopbackPeripheral({ random: hw.random }),
        tamper: {
          onTamper: (h: (e: { cause: "enclosure" }) => void) => { handler = h; },
          latched: async () => null,
          rearm: async () => undefined,
        },
      },
    });
    try {
      expect(device.started).toMatchObject({ kind: "running", selfTest: { failed: 0 } });
      expect(storages.keyStorage.names().some((n) => n.startsWith("dukpt-pin"))).toBe(true);
      expect(handler).not.toBeNull();
      handler!({ cause: "enclosure" });
      // The event crosses into the engine, the erase goes out to storage, then the screen changes.
      for (let i = 0; i < 100 && display.current()[0] !== "OUT OF SERVICE"; i++) {
        await device.whenIdle();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // PCI PTS POI A1: the erase reached the storage, not only the firmware's memory: no key record is left.
      expect(storages.keyStorage.names().filter((n) => n.startsWith("dukpt") || n.startsWith("kbpk"))).toEqual([]);
      expect(display.current()).toEqual(["OUT OF SERVICE", "TAMPERED"]);
    } finally {
      await device.close();
    }
  });
});

describe("the OTA flash over the bridge (firmware-hal-server.ts)", () => {
  const ota = simulatedReaderOta();
  const server = new DeviceServer();
  server.add("ota", otaMethods(ota, () => undefined));
  const refused = async (method: string, args: unknown[]) => {
    const r = await server.serve({ device: "ota", method, args });
    expect(r.ok).toBe(false);
    return r.ok ? "" : r.error.message;
  };

  it("tells the slot and sector sizes and the running slot, and serves a write and a read back", async () => {
    await expect(server.serve({ device: "ota", method: "describe", args: [] }))
      .resolves.toEqual({ ok: true, value: { slotBytes: ota.slotBytes, sectorBytes: ota.sectorBytes, running: 0 } });
    await expect(server.serve({ device: "ota", method: "invalidateInactive", args: [] })).resolves.toMatchObject({ ok: true });
    await expect(server.serve({ device: "ota", method: "eraseSector", args: [0] })).resolves.toMatchObject({ ok: true });
    await expect(server.serve({ device: "ota", method: "write", args: [0, { $bytes: "0102" }] })).resolves.toMatchObject({ ok: true });
    await expect(server.serve({ device: "ota", method: "read", args: [1, 0, 2] })).resolves.toEqual({ ok: true, value: { $bytes: "0102" } });
  });

  it("refuses what could reach past a slot, a slot that is not 0 or 1, and records of the wrong length", async () => {
    expect(await refused("write", [ota.slotBytes - 1, { $bytes: "0102" }])).toMatch(/past the end/);
    expect(await refused("write", [0, { $bytes: "" }])).toMatch(/1 to/);
    expect(await refused("read", [0, ota.slotBytes, 1])).toMatch(/past the end/);
    expect(await refused("read", [2, 0, 1])).toMatch(/slot/);
    expect(await refused("eraseSector", [1])).toMatch(/sector/);
    expect(await refused("eraseSector", [ota.slotBytes])).toMatch(/sector/);
    expect(await refused("activate", [{ $bytes: "00" }])).toMatch(/is \d+ bytes/);
    expect(await refused("saveProgress", [{ $bytes: "00" }])).toMatch(/is \d+ bytes/);
    expect(await refused("raiseRollbackCounter", [-1])).toMatch(/integer/);
    expect(await refused("state", [])).toMatch(/takes 1 argument/);
  });
});
