import { decodeTlv, encodeTlv } from "../../kernel/tlv";
import { concat, toHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { encodeOutcomeParameterSet, outcomeOf } from "../../kernel/contactless";
import { createPicc } from "../../host-sim/picc/contactless-cards";
import { SeededRandom } from "../../host-sim/sim/seeded-random";
import { VirtualPicc } from "../../host-sim/picc/virtual-picc";
import type { IccApplet } from "../../host-sim/icc/applet";
import { hex, rewriting, tap } from "./support";

function card(id: string, rewrite?: (applet: IccApplet) => IccApplet): VirtualPicc {
  const p = createPicc(id, { random: new SeededRandom(softwareCrypto, hex("0000000BCA")) })!;
  if (!rewrite) return p;
  return new VirtualPicc({ technology: "A", identifier: p.identifier, applet: rewrite(p.applet), bitRates: 0x33 });
}

/** Flips one bit of the Signed Dynamic Application Data in the GENERATE AC response. */
function damageSdad(r: Uint8Array): Uint8Array {
  if (r[r.length - 2] !== 0x90) return r;
  const [t] = decodeTlv(r.subarray(0, r.length - 2));
  const kids = t.children!.map((k) => {
    const v = k.value.slice();
    if (k.tag === "9F4B") v[20] ^= 0x01;
    return encodeTlv(k.tag, v);
  });
  return concat(encodeTlv("77", concat(...kids)), hex("9000"));
}

describe("Kernel 2 (Book C-2) with the mc-cda-offline-pin card", () => {
  it("below the floor limit: TC with CDA, verified after the card left, approved, no CVM", async () => {
    const { out } = await tap([card("mc-cda-offline-pin")], 500);
    expect(out).toMatchObject({ kind: "approved", kernelId: 2, oda: "cda", odaResult: "passed", cvm: "no-cvm", cid: 0x40 });
    // CVM Results: the list's "No CVM if the terminal supports it" rule, successful.
    expect(toHex(out.cvmResults!)).toBe("1F0302");
    expect(toHex(out.tvr!)).toBe("0000000000");
  });

  it("above the CVM required limit: 'DF8118' allows online PIN, the first rule; the floor limit asks for an ARQC", async () => {
    const { out } = await tap([card("mc-cda-offline-pin")], 15000);
    expect(out).toMatchObject({ kind: "online-approved", cvm: "online-pin", cid: 0x80, odaResult: "passed" });
    expect(toHex(out.cvmResults!)).toBe("420300");
    // TVR byte 3 b3 online PIN entered, byte 4 b8 floor limit exceeded.
    expect(toHex(out.tvr!)).toBe("0000048000");
  });

  it("Book 2, 6.6.2: a damaged CDA signature fails: 'CDA failed' in the TVR, declined", async () => {
    const { out } = await tap([card("mc-cda-offline-pin", (a) => rewriting(a, 0xae, damageSdad))], 500);
    expect(out).toMatchObject({ kind: "declined", oda: "cda", odaResult: "failed" });
    expect(out.tvr![0] & 0x04).toBe(0x04);
  });

  it("a card offering mag-stripe mode only (AIP byte 2 b8 = 0): Try Another Interface", async () => {
    const noEmvMode = (r: Uint8Array) => (r[0] === 0x77 ? concat(r.subarray(0, r.length - 2).map((b, i, a) => (i > 0 && a[i - 1] === 0x19 && b === 0x80 ? 0x00 : b)), hex("9000")) : r);
    const { out } = await tap([card("mc-cda-offline-pin", (a) => rewriting(a, 0xa8, noEmvMode))], 500);
    expect(out.kind).toBe("try-another-interface");
  });

  it("a phone with on-device CVM (mc-wallet): CDCVM above the CVM limit, CVM Results '01 00 02'", async () => {
    const { out } = await tap([card("mc-wallet")], 15000);
    expect(out).toMatchObject({ kind: "online-approved", cvm: "confirmation-code-verified", odaResult: "passed" });
    expect(toHex(out.cvmResults!)).toBe("010002");
  });

  it("Book C-2, Annex A: the Outcome Parameter Set 'DF8129' codes outcome, start, CVM and the flags", () => {
    expect(toHex(encodeOutcomeParameterSet(outcomeOf("online-request", { cvm: "online-pin" })))).toBe("30F0F020 00F0FF00".replace(" ", ""));
    expect(toHex(encodeOutcomeParameterSet(outcomeOf("try-again", { start: "B", uiOnRestart: { message: "presentCardAgain", status: "readyToRead", holdTimeMs: 0 } }))))
      .toBe("7010F0F040F0FF00");
  });
});
