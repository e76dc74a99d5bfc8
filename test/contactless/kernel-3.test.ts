import { selectCvmC3 } from "../../kernel/contactless";
import { decodeTlv, encodeTlv } from "../../kernel/tlv";
import { concat } from "../../kernel/bytes";
import { createPicc } from "../../host-sim/picc/contactless-cards";
import { SeededRandom } from "../../host-sim/sim/seeded-random";
import { softwareCrypto } from "../../kernel/crypto";
import { VirtualPicc } from "../../host-sim/picc/virtual-picc";
import type { IccApplet } from "../../host-sim/icc/applet";
import { hex, readerConfig, rewriting, tap } from "./support";

const random = () => new SeededRandom(softwareCrypto, hex("0000000ACA"));

/** The profile's applet, rewritten, in a PICC. */
function card(id: string, rewrite?: (applet: IccApplet) => IccApplet): VirtualPicc {
  const p = createPicc(id, { random: random() })!;
  if (!rewrite) return p;
  return new VirtualPicc({ technology: "A", identifier: p.identifier, applet: rewrite(p.applet), bitRates: 0x33 });
}

/** Rewrites one data object of the GPO response template '77'. */
function gpoObject(tag: string, change: (v: Uint8Array) => Uint8Array | undefined) {
  return (r: Uint8Array) => {
    if (r[r.length - 2] !== 0x90) return r;
    const [t] = decodeTlv(r.subarray(0, r.length - 2));
    const kids = t.children!.map((k) => (k.tag === tag ? change(k.value) : k.value) === undefined ? undefined : encodeTlv(k.tag, k.tag === tag ? (change(k.value) as Uint8Array) : k.value));
    return concat(encodeTlv("77", concat(...kids.filter((k): k is Uint8Array => k !== undefined))), hex("9000"));
  };
}

describe("Kernel 3 (Book C-3): CVM from the TTQ and the CTQ", () => {
  const ttq = (b1: number, b2: number) => Uint8Array.of(b1, b2, 0x40, 0x80);
  it("online PIN when the card asks for it and the reader can do it", () => {
    expect(selectCvmC3(ttq(0x36, 0x40), hex("8000"))).toBe("online-pin");
  });
  it("CDCVM when the phone says it verified its owner", () => {
    expect(selectCvmC3(ttq(0x36, 0x40), hex("0080"))).toBe("confirmation-code-verified");
  });
  it("signature when the card asks for it and the reader supports it", () => {
    expect(selectCvmC3(ttq(0x32, 0x40), hex("4000"))).toBe("obtain-signature");
  });
  it("no CVM when none is required and the card asks none", () => {
    expect(selectCvmC3(ttq(0x36, 0x00), hex("0000"))).toBe("no-cvm");
  });
  it("required but impossible: no CVM the reader can do is undefined", () => {
    expect(selectCvmC3(ttq(0x30, 0x40), hex("0000"))).toBeUndefined();
    expect(selectCvmC3(ttq(0x30, 0x40), undefined)).toBeUndefined();
  });
  it("without a CTQ and a CVM required: online PIN, else signature, by what the reader supports", () => {
    expect(selectCvmC3(ttq(0x36, 0x40), undefined)).toBe("online-pin");
    expect(selectCvmC3(ttq(0x32, 0x40), undefined)).toBe("obtain-signature");
  });
});

describe("Kernel 3 transactions with the visa-cda card", () => {
  it("below the floor limit the card approves offline; fDDA passes after the card has left", async () => {
    const { out, ui } = await tap([card("visa-cda")], 500);
    expect(out).toMatchObject({ kind: "approved", kernelId: 3, oda: "fdda", odaResult: "passed", cvm: "no-cvm", cid: 0x40 });
    const readAt = ui.findIndex((u) => u.message === "cardReadOk");
    expect(ui.map((u) => u.message).slice(0, readAt + 1)).toEqual(["presentCard", "processing", "cardReadOk"]);
    expect(ui[readAt].status).toBe("cardReadSuccessfully");
    expect(out.envelope).toBeDefined();
    expect(out.cardReadAtMs!).toBeLessThan(out.endAtMs);
  });

  it("above the floor and CVM limits: ARQC, online PIN, online approved", async () => {
    const { out, ui } = await tap([card("visa-cda")], 15000);
    expect(out).toMatchObject({ kind: "online-approved", cvm: "online-pin", cid: 0x80, arc: "00" });
    expect(out.pinKsn).toBeDefined();
    expect(ui.map((u) => u.message)).toContain("enterPin");
  });

  it("fDDA: a damaged signature fails, and the CTQ sends the transaction online rather than approve", async () => {
    const flip = (v: Uint8Array) => { const c = v.slice(); c[10] ^= 0x01; return c; };
    const { out } = await tap([card("visa-cda", (a) => rewriting(a, 0xa8, gpoObject("9F4B", flip)))], 500);
    expect(out.odaResult).toBe("failed");
    expect(out.kind).not.toBe("approved");
  });

  it("a mandatory data object missing from the GPO response ends the application", async () => {
    const { out } = await tap([card("visa-cda", (a) => rewriting(a, 0xa8, gpoObject("9F26", () => undefined)))], 500);
    expect(out).toMatchObject({ kind: "end-application" });
    expect(out.reason).toContain("9F26");
  });

  it("5.2.2.2: GPO '6984' is Try Another Interface", async () => {
    const { out } = await tap([card("visa-cda", (a) => rewriting(a, 0xa8, () => hex("6984")))], 500);
    expect(out).toMatchObject({ kind: "try-another-interface", alternateInterface: "contact" });
  });

  it("5.2.2.2: GPO '6985' is Select Next; with no candidate left the application ends", async () => {
    const { out } = await tap([card("visa-cda", (a) => rewriting(a, 0xa8, () => hex("6985")))], 500);
    expect(out.kind).toBe("end-application");
  });

  it("5.2.2.2: GPO '6986' shows \"See phone\" and restarts; the second tap completes", async () => {
    let first = true;
    const picc = card("visa-wallet", (a) => rewriting(a, 0xa8, (r) => (first ? ((first = false), hex("6986")) : r)));
    const { out, ui } = await tap([picc], 500);
    expect(out).toMatchObject({ kind: "online-approved", restarts: 1 });
    expect(ui.map((u) => u.message)).toContain("seePhone");
  });

  it("an offline-only reader over the card's limit: the card declines with an AAC", async () => {
    const config = readerConfig();
    config.combinations[0].ttq = hex("3E004080");
    const { out } = await tap([card("visa-cda")], 6000, config);
    expect(out).toMatchObject({ kind: "declined", cid: 0x00 });
  });

  it("the card taken away during its first READ RECORD: Try Again, \"Present card again\"", async () => {
    const { out, ui } = await tap([{ picc: card("visa-cda"), leave: { duringApdu: 4 } }], 500);
    expect(out.kind).toBe("present-card-again");
    expect(ui.map((u) => u.message)).toContain("presentCardAgain");
  });
});
