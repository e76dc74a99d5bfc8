import { selectTypeA, requestFrame, SHORT_FRAME_BITS, TYPE_A_SHORT_TIMEOUT_US } from "../../kernel/iso14443";
import { field, hex, picc, toHex } from "./support";

async function wakeAll(f: ReturnType<typeof field>["field"]) {
  await f.fieldOn();
  await f.configure({ technology: "A", txKbps: 106, rxKbps: 106 });
  return f.transceive(requestFrame(true), { crc: false, txBits: SHORT_FRAME_BITS, timeoutUs: TYPE_A_SHORT_TIMEOUT_US });
}

describe("ISO/IEC 14443-3 Type A select sequence (6.5)", () => {
  it.each([
    ["single (4 bytes)", "01020304"],
    ["double (7 bytes, one cascade)", "04A1B2C3D4E5F6"],
    ["triple (10 bytes, two cascades)", "0811223344556677889A"],
  ])("selects a %s UID through its cascade levels", async (_name, uid) => {
    const { field: f } = field([picc({ identifier: hex(uid) })]);
    expect((await wakeAll(f)).kind).toBe("frame");
    const r = await selectTypeA(f, false);
    expect(r.kind).toBe("selected");
    if (r.kind === "selected") {
      expect(toHex(r.uid)).toBe(uid);
      expect(r.sak.isoDep).toBe(true);
    }
  });

  it("two cards with different UIDs: the ATQA is the same, the anticollision shows the collision", async () => {
    const { field: f } = field([picc({ identifier: hex("01020304") }), picc({ identifier: hex("01020384") })]);
    expect((await wakeAll(f)).kind).toBe("frame"); // identical ATQAs do not collide
    expect(await selectTypeA(f, false)).toEqual({ kind: "collision" });
  });

  it("6.5.3.2: resolving bit by bit, the PCD chooses 1 at the collided bit and selects that card", async () => {
    const { field: f } = field([picc({ identifier: hex("01020304") }), picc({ identifier: hex("01020384") })]);
    await wakeAll(f);
    const r = await selectTypeA(f, true);
    expect(r.kind === "selected" && toHex(r.uid)).toBe("01020384");
  });

  it("a memory card (SAK '08') completes the select sequence but is not ISO-DEP", async () => {
    const { field: f } = field([picc({ identifier: hex("A1B2C3D4"), isoDep: false })]);
    await wakeAll(f);
    const r = await selectTypeA(f, false);
    expect(r.kind === "selected" && r.sak.isoDep).toBe(false);
  });

  it("no card: the anticollision times out", async () => {
    const { field: f } = field([]);
    expect((await wakeAll(f)).kind).toBe("timeout");
    expect(await selectTypeA(f, false)).toEqual({ kind: "timeout" });
  });
});
