import { concat } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { encodeTlv } from "../../kernel/tlv";
import { CL_MESSAGES, indicatorsFor, TONES } from "../../kernel/contactless";
import { createPicc } from "../../host-sim/picc/contactless-cards";
import { SeededRandom } from "../../host-sim/sim/seeded-random";
import { VirtualPicc } from "../../host-sim/picc/virtual-picc";
import { hex, rewriting, tap } from "./support";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const tlv = (tag: string, v: Uint8Array | string) => encodeTlv(tag, typeof v === "string" ? hex(v) : v);

function visaApplet() {
  return createPicc("visa-cda", { random: new SeededRandom(softwareCrypto, hex("0000000CCA")) })!.applet;
}

/** Answers SELECT PPSE with `fci` instead of the card's own directory. */
function ppseAnswer(fci: Uint8Array) {
  return (r: Uint8Array, cmd: Uint8Array) => (cmd[5] === 0x32 /* '2PAY.SYS.DDF01' */ ? concat(fci, hex("9000")) : r);
}

describe("Entry Point (Book B, 3.2-3.5)", () => {
  it("3.5: Select Next: a candidate the card refuses to SELECT is dropped and the next one is selected", async () => {
    const fci = tlv("6F", concat(tlv("84", ascii("2PAY.SYS.DDF01")), tlv("A5", tlv("BF0C", concat(
      tlv("61", concat(tlv("4F", "A000000003101099"), tlv("87", "01"))),
      tlv("61", concat(tlv("4F", "A0000000031010"), tlv("87", "02"))),
    )))));
    const picc = new VirtualPicc({ technology: "A", identifier: hex("04112233445566"), applet: rewriting(visaApplet(), 0xa4, ppseAnswer(fci)) });
    const { out } = await tap([picc], 500);
    expect(out).toMatchObject({ kind: "approved", kernelId: 3 });
  });

  it("3.3.2.7: a PPSE with no application the reader supports ends the application", async () => {
    const fci = tlv("6F", concat(tlv("84", ascii("2PAY.SYS.DDF01")), tlv("A5", tlv("BF0C", tlv("61", tlv("4F", "A00000002501"))))));
    const picc = new VirtualPicc({ technology: "A", identifier: hex("04112233445566"), applet: rewriting(visaApplet(), 0xa4, ppseAnswer(fci)) });
    const { out, ui } = await tap([picc], 500);
    expect(out.kind).toBe("end-application");
    expect(ui[ui.length - 1]).toMatchObject({ message: "insertSwipeOrTryAnotherCard", status: "processingError" });
  });

  it("3.3.2.3: no PPSE at all ends the application", async () => {
    const picc = new VirtualPicc({ technology: "A", identifier: hex("04112233445566"), applet: rewriting(visaApplet(), 0xa4, (r, cmd) => (cmd[5] === 0x32 ? hex("6A82") : r)) });
    const { out } = await tap([picc], 500);
    expect(out).toMatchObject({ kind: "end-application" });
    expect(out.reason).toContain("PPSE");
  });

  it("3.2: two cards in the field: \"Please present one card only\" while polling goes on, then a collision", async () => {
    const { out, ui } = await tap([createPicc("visa-cda", { random: new SeededRandom(softwareCrypto, hex("01")) })!, createPicc("mc-cda-offline-pin", { random: new SeededRandom(softwareCrypto, hex("02")) })!], 500);
    expect(out.kind).toBe("collision");
    expect(ui.map((u) => u.message)).toContain("presentOneCardOnly");
  });

  it("3.2: when one of two cards is taken away, the other is read", async () => {
    const a = createPicc("visa-cda", { random: new SeededRandom(softwareCrypto, hex("01")) })!;
    const b = createPicc("mc-cda-offline-pin", { random: new SeededRandom(softwareCrypto, hex("02")) })!;
    const { out } = await tap([{ picc: a }, { picc: b, leave: { atMs: 400 } }], 500);
    expect(out).toMatchObject({ kind: "approved", kernelId: 3 });
  });

  it("no card: the polling time runs out", async () => {
    const { out, clock } = await tap([], 500);
    expect(out.kind).toBe("no-card");
    expect(clock.nowMs()).toBeGreaterThanOrEqual(2000);
  });

  it("the kernels run over Type B just the same (ATTRIB in place of RATS)", async () => {
    const picc = new VirtualPicc({ technology: "B", identifier: hex("1A2B3C4D"), applet: visaApplet() });
    const { out } = await tap([picc], 500);
    expect(out).toMatchObject({ kind: "approved", technology: "B" });
  });
});

describe("Book A user interface", () => {
  it("9.4: the standard messages carry their identifiers", () => {
    expect(CL_MESSAGES.approved.id).toBe(0x03);
    expect(CL_MESSAGES.notAuthorised.id).toBe(0x07);
    expect(CL_MESSAGES.presentCard.id).toBe(0x15);
    expect(CL_MESSAGES.cardReadOk.id).toBe(0x17);
    expect(CL_MESSAGES.presentOneCardOnly.id).toBe(0x19);
    expect(CL_MESSAGES.authorisingPleaseWait.id).toBe(0x1b);
    expect(CL_MESSAGES.seePhone.id).toBe(0x20);
    expect(CL_MESSAGES.presentCardAgain.id).toBe(0x21);
  });

  it("9.2: the four lights: ready to read one, processing two, card read all four with the success tone", () => {
    expect(indicatorsFor("readyToRead")).toEqual({ lights: [true, false, false, false], flashFirst: false });
    expect(indicatorsFor("processing").lights).toEqual([true, true, false, false]);
    expect(indicatorsFor("cardReadSuccessfully")).toEqual({ lights: [true, true, true, true], flashFirst: false, tone: "success" });
    expect(indicatorsFor("processingError").tone).toBe("alert");
    expect(indicatorsFor("idle").flashFirst).toBe(true);
  });

  it("9.3: the success tone is one 1500 Hz tone of 500 ms, the alert tone two 750 Hz tones of 200 ms", () => {
    expect(TONES.success).toEqual({ frequencyHz: 1500, toneMs: 500, count: 1, pauseMs: 0 });
    expect(TONES.alert).toEqual({ frequencyHz: 750, toneMs: 200, count: 2, pauseMs: 200 });
  });
});
