import { createPcd } from "../../kernel/iso14443";
import type { IsoDepEngine, NfcController } from "../../hal/nfc-controller";
import { ModeledClock } from "../../host-sim/picc/modeled-clock";
import { field, hex, picc, toHex } from "./support";

describe("EMV Book D polling, collision detection, activation and removal", () => {
  it("activates a Type A card: select sequence, RATS/ATS, at 106 kbit/s when the card offers no more", async () => {
    const { clock, field: f } = field([picc({ identifier: hex("04A1B2C3D4E5F6") })]);
    const r = await createPcd({ controller: f, clock }).poll(500);
    expect(r.kind).toBe("activated");
    if (r.kind !== "activated") return;
    expect(r.card).toMatchObject({ technology: "A", bitRate: { txKbps: 106, rxKbps: 106 } });
    expect(toHex(r.card.identifier)).toBe("04A1B2C3D4E5F6");
    expect(r.card.answer[0]).toBe(r.card.answer.length); // the ATS, TL first
  });

  it("activates a Type B card with ATTRIB", async () => {
    const { clock, field: f } = field([picc({ technology: "B", identifier: hex("CAFEBABE") })]);
    const r = await createPcd({ controller: f, clock }).poll(500);
    expect(r.kind === "activated" && r.card.technology).toBe("B");
    if (r.kind === "activated") expect(toHex(await r.transport.transmit(hex("00B2010C00")))).toBe("000102039000");
  });

  it("ISO/IEC 14443-4 PPS: leaves 106 kbit/s for the fastest rate card and controller share", async () => {
    const { clock, field: f } = field([picc({ identifier: hex("01020304"), bitRates: 0x77 })], { bitRatesKbps: [106, 212, 424] });
    const r = await createPcd({ controller: f, clock }).poll(500);
    expect(r.kind === "activated" && r.card.bitRate).toEqual({ txKbps: 424, rxKbps: 424 });
    if (r.kind === "activated") expect(toHex(await r.transport.transmit(hex("00B2010C00")))).toBe("000102039000");
    const slow = field([picc({ identifier: hex("01020304"), bitRates: 0x77 })]);
    const r106 = await createPcd({ controller: slow.field, clock: slow.clock, highBitRates: false }).poll(500);
    expect(r106.kind === "activated" && r106.card.bitRate).toEqual({ txKbps: 106, rxKbps: 106 });
  });

  it("Type B: the bit rate is set in ATTRIB", async () => {
    const { clock, field: f } = field([picc({ technology: "B", identifier: hex("CAFEBABE"), bitRates: 0x11 })]);
    const r = await createPcd({ controller: f, clock }).poll(500);
    expect(r.kind === "activated" && r.card.bitRate).toEqual({ txKbps: 212, rxKbps: 212 });
    if (r.kind === "activated") expect(toHex(await r.transport.transmit(hex("00B2010C00")))).toBe("000102039000");
  });

  it("two Type A cards: collision", async () => {
    const { clock, field: f } = field([picc({ identifier: hex("01020304") }), picc({ identifier: hex("0A0B0C0D") })]);
    expect(await createPcd({ controller: f, clock }).poll(500)).toEqual({ kind: "collision" });
  });

  it("a Type A and a Type B card: both technologies answered, collision", async () => {
    const { clock, field: f } = field([picc({ identifier: hex("01020304") }), picc({ technology: "B", identifier: hex("CAFEBABE") })]);
    expect(await createPcd({ controller: f, clock }).poll(500)).toEqual({ kind: "collision" });
  });

  it("two Type B cards: the ATQBs overlap and arrive damaged, collision", async () => {
    const { clock, field: f } = field([picc({ technology: "B", identifier: hex("11111111") }), picc({ technology: "B", identifier: hex("22222222") })]);
    expect(await createPcd({ controller: f, clock }).poll(500)).toEqual({ kind: "collision" });
  });

  it("no card: polling ends when the time is up, having spent that modeled time", async () => {
    const { clock, field: f } = field([]);
    expect(await createPcd({ controller: f, clock }).poll(200)).toEqual({ kind: "no-card" });
    expect(clock.nowMs()).toBeGreaterThanOrEqual(200);
  });

  it("a card presented later is found by the polling loop", async () => {
    const { clock, field: f } = field([{ picc: picc({ identifier: hex("01020304") }), enterMs: 120 }]);
    const r = await createPcd({ controller: f, clock }).poll(500);
    expect(r.kind).toBe("activated");
    expect(clock.nowMs()).toBeGreaterThan(120);
  });

  it("a memory card (not ISO-DEP) is never activated", async () => {
    const { clock, field: f } = field([picc({ identifier: hex("A1B2C3D4"), isoDep: false })]);
    expect(await createPcd({ controller: f, clock }).poll(100)).toEqual({ kind: "no-card" });
  });

  it("removal: present while the card stays, removed once nothing answers three polls running", async () => {
    const { clock, field: f } = field([{ picc: picc({ identifier: hex("01020304") }), leave: { atMs: 300 } }]);
    const pcd = createPcd({ controller: f, clock });
    expect((await pcd.poll(100)).kind).toBe("activated");
    expect(await pcd.awaitRemoval(100)).toBe("present");
    expect(await pcd.awaitRemoval(1000)).toBe("removed");
    expect(clock.nowMs()).toBeGreaterThan(300);
  });
});

describe("a controller that runs ISO-DEP itself (PN532 style)", () => {
  function offloaded(result: Awaited<ReturnType<IsoDepEngine["activate"]>>, exchange: Awaited<ReturnType<IsoDepEngine["exchange"]>>) {
    const calls: string[] = [];
    const engine: IsoDepEngine = {
      async activate() { calls.push("activate"); return result; },
      async exchange() { calls.push("exchange"); return exchange; },
      async deselect() { calls.push("deselect"); },
    };
    const controller: NfcController = {
      capabilities: { technologies: ["A", "B"], bitRatesKbps: [106], maxFrameBytes: 264 },
      async fieldOn() { calls.push("on"); }, async fieldOff() { calls.push("off"); }, async configure() { /* engine does it */ },
      async transceive() { throw new Error("not used with an ISO-DEP engine"); },
      isoDep: engine,
    };
    return { controller, calls };
  }

  it("hands whole APDUs to the engine and keeps the same transport interface", async () => {
    const { controller, calls } = offloaded(
      { kind: "activated", technology: "A", identifier: hex("01020304"), answer: hex("0578807002"), bitRate: { txKbps: 106, rxKbps: 106 } },
      { kind: "response", bytes: hex("9000") },
    );
    const r = await createPcd({ controller, clock: new ModeledClock() }).poll(100);
    if (r.kind !== "activated") throw new Error(r.kind);
    expect(toHex(await r.transport.transmit(hex("00A4040000")))).toBe("9000");
    expect(calls).toEqual(["on", "activate", "exchange"]);
  });

  it("maps the engine's failures and collisions onto the kernel's outcomes", async () => {
    const c1 = offloaded({ kind: "collision" }, { kind: "timeout" });
    expect(await createPcd({ controller: c1.controller, clock: new ModeledClock() }).poll(100)).toEqual({ kind: "collision" });
    const c2 = offloaded(
      { kind: "activated", technology: "B", identifier: hex("01020304"), answer: hex("50"), bitRate: { txKbps: 106, rxKbps: 106 } },
      { kind: "timeout" },
    );
    const r = await createPcd({ controller: c2.controller, clock: new ModeledClock() }).poll(100);
    if (r.kind !== "activated") throw new Error(r.kind);
    await expect(r.transport.transmit(hex("00A4040000"))).rejects.toMatchObject({ code: "rf-timeout" });
  });
});
