import { fromHex, toHex } from "../../kernel/bytes";
import { aesCmac, softwareCrypto as c } from "../../kernel/crypto";
import { dukptAesHostKey, dukptAesInitialKey } from "../../kernel/security/dukpt-aes";
import { aesDukptLoadInitialKey } from "../../kernel/security/dukpt-aes-device";
import { dukptTdesHostKey, dukptTdesIpek } from "../../kernel/security/dukpt-tdes";
import { tdesDukptLoadInitialKey } from "../../kernel/security/dukpt-tdes-device";
import { beginDukptTransaction, protectTransaction } from "../../kernel/security/device-transaction";
import {
  envelopePlaintext, maskPan, openEnvelope, partitionCardData, type P2peEnvelope,
} from "../../kernel/security/p2pe";
import { decodePinBlock } from "../../kernel/security/pin-block";
import { loadVectors } from "../support/vectors";
import { seededRandom } from "./support";

const aes = loadVectors("dukpt-aes.json");
const tdes = loadVectors("dukpt-tdes.json");
const ascii = (s: string) => new TextEncoder().encode(s);

const ITEMS = [
  { tag: "57", value: fromHex("4761739001010010D22122011143804400000F") },
  { tag: "5A", value: fromHex("4761739001010010") },
  { tag: "5F20", value: ascii("CARDHOLDER/VISA") },
  { tag: "5F24", value: fromHex("221231") },
  { tag: "DF8F01", value: ascii("%B4761739001010010^CARDHOLDER/VISA^22122011143804400000?") },
];

function codeOf(f: () => unknown): string {
  try { f(); } catch (e: any) { return e.code; }
  return "none";
}

describe("P2PE envelopes", () => {
  const aesState = () => aesDukptLoadInitialKey(c, fromHex(aes.initialKeys[0].initialKey), fromHex("1234567890123456"));
  const tdesState = () => tdesDukptLoadInitialKey(c, fromHex(tdes.ipek), fromHex(tdes.initialKsn));

  it("AES DUKPT: AES-CBC under the data-encrypt key of the KSN, AES-CMAC under its mac-gen key; the HSM opens it", () => {
    const { keys } = beginDukptTransaction(c, aesState());
    const e = keys.envelope(c, envelopePlaintext(ITEMS));
    expect(e.scheme).toBe("aes-dukpt");
    expect(toHex(e.ksn)).toBe("123456789012345600000001");
    expect(e.mac).toHaveLength(16);
    // Independently of the envelope code: decrypt with the published data-encrypt key of counter 1.
    const dataKey = fromHex(aes.workingKeys.find((w: any) => w.counter === 1 && w.usage === "data-encrypt").key);
    const plain = c.aesCbcDecrypt(dataKey, new Uint8Array(16), e.ciphertext);
    expect(toHex(plain)).toMatch(new RegExp("^57134761739001010010D22122011143804400000F5A084761739001010010"));
    const macKey = fromHex(aes.workingKeys.find((w: any) => w.counter === 1 && w.usage === "mac-gen").key);
    expect(toHex(e.mac)).toBe(toHex(aesCmac(c, macKey, new Uint8Array([...e.ksn, ...e.ciphertext]))));
    const opened = openEnvelope(c, fromHex(aes.initialKeys[0].bdk), e);
    expect(opened.map((i) => [i.tag, toHex(i.value)])).toEqual(ITEMS.map((i) => [i.tag, toHex(i.value)]));
  });

  it("TDES DUKPT: TDES-CBC under the data request key, retail MAC under the MAC request key; the HSM opens it", () => {
    const { keys } = beginDukptTransaction(c, tdesState());
    const e = keys.envelope(c, envelopePlaintext(ITEMS));
    expect(e.scheme).toBe("tdes-dukpt");
    expect(toHex(e.ksn)).toBe("FFFF9876543210E00001");
    expect(e.mac).toHaveLength(8);
    const dataKey = fromHex(tdes.workingKeys.find((w: any) => w.counter === 1 && w.variant === "data-request").key);
    expect(toHex(c.tdesCbcDecrypt(dataKey, new Uint8Array(8), e.ciphertext)).startsWith("5713")).toBe(true);
    const opened = openEnvelope(c, fromHex(tdes.bdk), e);
    expect(opened.map((i) => i.tag)).toEqual(ITEMS.map((i) => i.tag));
  });

  it("the MAC is verified first, in constant time: any altered byte of KSN, ciphertext or MAC is refused", () => {
    const bdk = fromHex(aes.initialKeys[0].bdk);
    const { keys } = beginDukptTransaction(c, aesState());
    const e = keys.envelope(c, envelopePlaintext(ITEMS));
    const alter = (b: Uint8Array, i: number) => { const x = b.slice(); x[i] ^= 1; return x; };
    expect(codeOf(() => openEnvelope(c, bdk, { ...e, ciphertext: alter(e.ciphertext, 5) }))).toBe("p2pe-mac");
    expect(codeOf(() => openEnvelope(c, bdk, { ...e, mac: alter(e.mac, 15) }))).toBe("p2pe-mac");
    expect(codeOf(() => openEnvelope(c, bdk, { ...e, ksn: fromHex("123456789012345600000002") }))).toBe("p2pe-mac");
    expect(codeOf(() => openEnvelope(c, fromHex("00".repeat(16)), e))).toBe("p2pe-mac");
  });

  it("envelopes of the wrong shape are typed errors before any key is derived", () => {
    const bdk = fromHex(aes.initialKeys[0].bdk);
    const e: P2peEnvelope = { scheme: "aes-dukpt", ksn: new Uint8Array(12), ciphertext: new Uint8Array(32), mac: new Uint8Array(16) };
    expect(codeOf(() => openEnvelope(c, bdk, { ...e, scheme: "rsa" as any }))).toBe("p2pe-format");
    expect(codeOf(() => openEnvelope(c, bdk, { ...e, ksn: new Uint8Array(10) }))).toBe("p2pe-format");
    expect(codeOf(() => openEnvelope(c, bdk, { ...e, ciphertext: new Uint8Array(31) }))).toBe("p2pe-format");
    expect(codeOf(() => openEnvelope(c, bdk, { ...e, ciphertext: new Uint8Array(0) }))).toBe("p2pe-format");
    expect(codeOf(() => openEnvelope(c, bdk, { ...e, mac: new Uint8Array(8) }))).toBe("p2pe-format");
    expect(codeOf(() => envelopePlaintext([]))).toBe("p2pe-format");
    expect(codeOf(() => envelopePlaintext([{ tag: "5A", value: "4111" as any }]))).toBe("p2pe-format");
  });

  it("an authentic envelope whose padding is wrong is refused (ISO/IEC 9797-1 method 2 is checked)", () => {
    const bdk = fromHex(aes.initialKeys[0].bdk);
    const ksn = fromHex("123456789012345600000001");
    const dataKey = dukptAesHostKey(c, bdk, ksn, "data-encrypt", "aes128");
    const macKey = dukptAesHostKey(c, bdk, ksn, "mac-gen", "aes128");
    // 16 bytes of TLV with no 80 padding block: sealed by hand, MACed correctly.
    const ciphertext = c.aesCbcEncrypt(dataKey, new Uint8Array(16), fromHex("5A0E41111111111111110000000000AB"));
    const e = { scheme: "aes-dukpt" as const, ksn, ciphertext, mac: aesCmac(c, macKey, new Uint8Array([...ksn, ...ciphertext])) };
    expect(codeOf(() => openEnvelope(c, bdk, e))).toBe("p2pe-format");
  });

  it("only the masked PAN (first 6, last 4) and non-sensitive tags are left in clear", () => {
    const card = [...ITEMS, { tag: "9F26", value: fromHex("0102030405060708") }, { tag: "82", value: fromHex("5800") },
      { tag: "9F6B", value: fromHex("4761739001010010D2212201") }, { tag: "56", value: ascii("B4761739001010010^X^2212") }];
    const { sensitive, clear, maskedPan } = partitionCardData(card);
    expect(sensitive.map((s) => s.tag)).toEqual(["57", "5A", "5F20", "5F24", "DF8F01", "9F6B", "56"]);
    expect(clear.map((s) => s.tag)).toEqual(["9F26", "82"]);
    expect(maskedPan).toBe("476173******0010");
    // Without 5A, the PAN comes from Track 2 Equivalent Data (57), up to the separator D.
    expect(partitionCardData([{ tag: "57", value: fromHex("5413330089020011D25120") }]).maskedPan).toBe("541333******0011");
    expect(maskPan("4761739001010010123")).toBe("476173*********0123");
    expect(maskPan("12345678")).toBe("****5678");
    expect(codeOf(() => maskPan("47617390010100x0"))).toBe("p2pe-format");
  });

  it("protectTransaction (the bench's unit of device work) equals the host side for 200 transactions of each scheme", () => {
    const random = seededRandom(11);
    for (const scheme of ["aes-dukpt", "tdes-dukpt"] as const) {
      const bdk = scheme === "aes-dukpt" ? random.bytes(32) : random.bytes(16);
      const id = scheme === "aes-dukpt" ? random.bytes(8) : random.bytes(10);
      let state = scheme === "aes-dukpt"
        ? aesDukptLoadInitialKey(c, dukptAesInitialKey(c, bdk, id), id)
        : tdesDukptLoadInitialKey(c, dukptTdesIpek(c, bdk, id), id);
      for (let i = 0; i < 200; i++) {
        const r = protectTransaction(c, state, { pin: ascii("0852"), pan: "4761739001010010", items: ITEMS }, random);
        state = r.next;
        expect(toHex(r.pinBlock.ksn)).toBe(toHex(r.envelope.ksn));
        const pinKey = scheme === "aes-dukpt" ? dukptAesHostKey(c, bdk, r.envelope.ksn, "pin", "aes256") : dukptTdesHostKey(c, bdk, r.envelope.ksn, "pin");
        const pin = scheme === "aes-dukpt"
          ? decodePinBlock(4, r.pinBlock.block, { pan: "4761739001010010", key: pinKey }, c)
          : decodePinBlock(0, c.tdesEcbDecrypt(pinKey, r.pinBlock.block), { pan: "4761739001010010" });
        expect(pin).toBe("0852");
        expect(openEnvelope(c, bdk, r.envelope)).toHaveLength(ITEMS.length);
      }
    }
  });
});
