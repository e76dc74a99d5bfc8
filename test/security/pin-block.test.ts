import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { dukptAesHostKey } from "../../kernel/security/dukpt-aes";
import { dukptTdesHostKey } from "../../kernel/security/dukpt-tdes";
import {
  decodePinBlock, decodePinBlockDigits, encodePinBlock, encodePinBlockDigits, type PinBlockFormat,
} from "../../kernel/security/pin-block";
import type { RandomSource } from "../../hal/random";
import { loadVectors } from "../support/vectors";
import { seededRandom } from "./support";

const v = loadVectors("pinblock.json");
const tdes = loadVectors("dukpt-tdes.json");

/** A random source that returns fixed bytes first (the published random fill), then zeros. */
function fixed(hex: string): RandomSource {
  const bytes = fromHex(hex);
  return { fill(out) { out.fill(0); out.set(bytes.subarray(0, Math.min(bytes.length, out.length))); } };
}

const codeOf = (f: () => unknown): string => {
  try { f(); } catch (e: any) { return e.code; }
  return "none";
};

describe("ISO 9564-1 PIN blocks: published vectors", () => {
  it.each((v.encode.map((e: any) => [e.format, e.pin.length, e])) as any[][])(
    "format %i with a %i-digit PIN encodes to the published block", (_f, _n, e: any) => {
      const options = { pan: e.pan, key: e.key ? fromHex(e.key) : undefined, random: e.randomFill ? fixed(e.randomFill) : undefined };
      expect(toHex(encodePinBlock(e.format, e.pin, options, c))).toBe(e.block);
    });

  it.each((v.encode.map((e: any) => [e.format, e.pin.length, e])) as any[][])(
    "format %i with a %i-digit PIN: the published block decodes to the PIN", (_f, _n, e: any) => {
      expect(decodePinBlock(e.format, fromHex(e.block), { pan: e.pan, key: e.key ? fromHex(e.key) : undefined }, c)).toBe(e.pin);
    });

  it.each((v.decode.map((d: any) => [d.format, d])) as any[][])("format %i: the published block decodes to the PIN", (_f, d: any) => {
    expect(decodePinBlock(d.format, fromHex(d.block), { pan: d.pan }, c)).toBe(d.pin);
  });

  it("X9.24-3-2017 example: format 4 under the counter-1 AES DUKPT PIN key, step by step (9.4.2.3)", () => {
    const x = v.aesDukptPinBlock;
    const key = dukptAesHostKey(c, fromHex(x.bdk), fromHex(x.ksn), "pin", "aes128");
    expect(toHex(key)).toBe(x.pinKey);
    // A = E(K, PIN field); B = A xor PAN field; C = E(K, B)
    expect(toHex(c.aesEcbEncrypt(key, fromHex(x.pinField)))).toBe(x.intermediateA);
    const block = encodePinBlock(4, x.pin, { pan: x.pan, key, random: fixed(x.pinField.slice(16)) }, c);
    expect(toHex(block)).toBe(x.block);
    expect(decodePinBlock(4, block, { pan: x.pan, key }, c)).toBe(x.pin);
  });

  it("X9.24-1-2009 example: format 0 for online PIN, TDES-encrypted under the counter-1 DUKPT PIN key", () => {
    const p = tdes.pinBlocks[0];
    const clear = encodePinBlock(0, p.pin, { pan: p.pan });
    expect(toHex(clear)).toBe(p.clearBlock);
    const key = dukptTdesHostKey(c, fromHex(tdes.bdk), fromHex(p.ksn), "pin");
    expect(toHex(key)).toBe(p.pinKey);
    expect(toHex(c.tdesEcbEncrypt(key, clear))).toBe(p.encryptedBlock);
  });
});

describe("ISO 9564-1 PIN blocks: rules of each format", () => {
  const random = seededRandom(99);
  const key = random.bytes(16);
  const pans = ["4111111111111111", "5555555551234567", "1234567890123456789", "40123456789", "12345678"];

  it.each([0, 1, 2, 3, 4])("format %i: encode then decode round-trips every PIN length 4-12 and PAN length", (format) => {
    for (let n = 4; n <= 12; n++) {
      for (const pan of pans) {
        const pin = Array.from({ length: n }, () => String(random.int(10))).join("");
        const block = encodePinBlock(format as PinBlockFormat, pin, { pan, random, key }, c);
        expect(block).toHaveLength(format === 4 ? 16 : 8);
        expect(block[0] >> 4).toBe(format === 4 ? block[0] >> 4 : format);
        expect(decodePinBlock(format as PinBlockFormat, block, { pan, key }, c)).toBe(pin);
      }
    }
  });

  it("9.3.5.2: the fill of format 3 is random nibbles A-F; of format 1 random nibbles 0-F", () => {
    const seen3 = new Set<number>();
    const seen1 = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const b3 = encodePinBlock(3, "1234", { pan: "5555555551234567", random }, c);
      const field = b3.slice();
      // undo the PAN field to see the fill
      const pan = fromHex("0000555555123456");
      for (let j = 0; j < 8; j++) field[j] ^= pan[j];
      for (const nib of toHex(field.subarray(3))) seen3.add(parseInt(nib, 16));
      for (const nib of toHex(encodePinBlock(1, "1234", { random }, c).subarray(3))) seen1.add(parseInt(nib, 16));
    }
    expect([...seen3].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(seen1.size).toBe(16);
  });

  it("9.3.2.3: format 0 uses the 12 rightmost PAN digits excluding the check digit, zero-padded when shorter", () => {
    // PAN 40123456789 (11 digits): without the check digit 4012345678, padded to 000040123456 78
    expect(toHex(encodePinBlock(0, "1234", { pan: "40123456789" }))).toBe(toHex(xor8("041234FFFFFFFFFF", "0000004012345678")));
  });

  it("9.4.2.2.3: the format 4 PAN field keeps the check digit, with M = digits beyond 12", () => {
    const pinField = "441234AAAAAAAAAA0000000000000000";
    const k = fromHex("00112233445566778899AABBCCDDEEFF");
    const enc = (pan: string) => encodePinBlock(4, "1234", { pan, key: k, random: fixed("0000000000000000") }, c);
    const manual = (panField: string) => {
      const a = c.aesEcbEncrypt(k, fromHex(pinField));
      const p = fromHex(panField);
      for (let i = 0; i < 16; i++) a[i] ^= p[i];
      return toHex(c.aesEcbEncrypt(k, a));
    };
    expect(toHex(enc("4111111111111111"))).toBe(manual("44111111111111111000000000000000"));
    // 11 digits: M = 0 and the PAN right-justified in 12 digits (one zero on the left)
    expect(toHex(enc("40123456789"))).toBe(manual("00401234567890000000000000000000"));
  });

  it("bad input is a typed error: PIN length and digits, PAN digits and length, missing PAN, key or random", () => {
    expect(codeOf(() => encodePinBlock(0, "123", { pan: "4111111111111111" }))).toBe("pin");
    expect(codeOf(() => encodePinBlock(0, "1234567890123", { pan: "4111111111111111" }))).toBe("pin");
    expect(codeOf(() => encodePinBlock(2, "12a4", {}))).toBe("pin");
    expect(codeOf(() => encodePinBlock(0, "1234", { pan: "41111111x1111111" }))).toBe("pan");
    expect(codeOf(() => encodePinBlock(0, "1234", { pan: "41111111111111111111" }))).toBe("pan");
    expect(codeOf(() => encodePinBlock(0, "1234", {}))).toBe("pan");
    expect(codeOf(() => encodePinBlock(3, "1234", { pan: "4111111111111111" }))).toBe("pin-block-format");
    expect(codeOf(() => encodePinBlock(4, "1234", { pan: "4111111111111111", random }, c))).toBe("key-length");
    expect(codeOf(() => encodePinBlock(4, "1234", { pan: "4111111111111111", random, key: new Uint8Array(8) }, c))).toBe("key-length");
    expect(codeOf(() => encodePinBlock(5 as PinBlockFormat, "1234", {}))).toBe("pin-block-format");
  });

  it("a block that breaks its format's rules does not decode (control field, length, digits, fill, size)", () => {
    const pan = "5555555551234567";
    expect(codeOf(() => decodePinBlock(0, fromHex("341261AAAAEDCBA9"), { pan }))).toBe("pin-block");
    expect(codeOf(() => decodePinBlock(2, fromHex("231234FFFFFFFFFF"), {}))).toBe("pin-block");
    expect(codeOf(() => decodePinBlock(2, fromHex("2D1234FFFFFFFFFF"), {}))).toBe("pin-block");
    expect(codeOf(() => decodePinBlock(2, fromHex("24123AFFFFFFFFFF"), {}))).toBe("pin-block");
    expect(codeOf(() => decodePinBlock(2, fromHex("241234FFFFFFFFFE"), {}))).toBe("pin-block");
    expect(codeOf(() => decodePinBlock(3, fromHex("341234FFFFFFFF9F"), { pan: "0000000000000000" }))).toBe("pin-block");
    expect(codeOf(() => decodePinBlock(2, fromHex("241234FFFFFFFF"), {}))).toBe("pin-block");
    // format 4 under the wrong key: the control field check fails
    expect(codeOf(() => decodePinBlock(4, fromHex(v.encode[4].block), { pan: v.encode[4].pan, key: new Uint8Array(16) }, c))).toBe("pin-block");
  });

  it("no error message contains the PIN or the PAN", () => {
    for (const f of [
      () => encodePinBlock(0, "98765", { pan: "98765x3210987654" }),
      () => encodePinBlock(0, "9876543210987", { pan: "9876543210987654" }),
      () => decodePinBlock(0, fromHex("0598765FFFFFFFFF"), { pan: "98765" }),
    ]) {
      try { f(); } catch (e: any) {
        expect(e.message).not.toMatch(/98765/);
        continue;
      }
      throw new Error("expected an error");
    }
  });

  it("the digit-byte API leaves the caller's PIN buffer to the caller and returns digits the caller can zeroize", () => {
    const pin = new TextEncoder().encode("2468");
    const block = encodePinBlockDigits(2, pin, {});
    expect(new TextDecoder().decode(pin)).toBe("2468");
    const back = decodePinBlockDigits(2, block, {});
    expect(new TextDecoder().decode(back)).toBe("2468");
  });
});

function xor8(a: string, b: string): Uint8Array {
  const x = fromHex(a);
  const y = fromHex(b);
  return x.map((v, i) => v ^ y[i]);
}
