import { constants, createPrivateKey, privateDecrypt } from "crypto";
import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { encipherOfflinePin, OdaConfigError } from "../../kernel/emv/oda";
import { simKey } from "../cards/support/book2-signer";

const b64u = (hex: string) => Buffer.from(hex, "hex").toString("base64url");

describe("EMV Book 2, 7.2: offline PIN encipherment with the ICC public key", () => {
  const icc = simKey("iccs", "mc-cda-offline-pin");
  const key = { modulus: fromHex(icc.modulus), exponent: fromHex(icc.exponent) };
  const fixedRandom = { fill: (b: Uint8Array) => b.fill(0x5a) };
  const pinBlock = fromHex("241234FFFFFFFFFF");
  const challenge = fromHex("0102030405060708");

  it("enciphers '7F' || PIN block || ICC unpredictable number || random pad, as long as the modulus", () => {
    const enciphered = encipherOfflinePin(c, key, pinBlock, challenge, fixedRandom);
    expect(enciphered.length).toBe(128);
    // decipher with the card's private key (Node's RSA, independent of the code under test)
    const pk = createPrivateKey({
      key: { kty: "RSA", n: b64u(icc.modulus), e: b64u(icc.exponent), d: b64u(icc.d), p: b64u(icc.p), q: b64u(icc.q), dp: b64u(icc.dp), dq: b64u(icc.dq), qi: b64u(icc.qinv) },
      format: "jwk",
    });
    const plain = privateDecrypt({ key: pk, padding: constants.RSA_NO_PADDING }, Buffer.from(enciphered));
    expect(toHex(plain.subarray(0, 17))).toBe("7F241234FFFFFFFFFF0102030405060708");
    expect(plain.subarray(17).every((b) => b === 0x5a)).toBe(true);
    expect(plain.length - 17).toBe(128 - 17);
  });

  it("the random pad makes two encipherments of the same PIN differ", () => {
    let n = 0;
    const counter = { fill: (b: Uint8Array) => b.fill(++n) };
    expect(toHex(encipherOfflinePin(c, key, pinBlock, challenge, counter))).not.toBe(toHex(encipherOfflinePin(c, key, pinBlock, challenge, counter)));
  });

  it("refuses a PIN block or challenge that is not 8 bytes", () => {
    expect(() => encipherOfflinePin(c, key, pinBlock.slice(1), challenge, fixedRandom)).toThrow(OdaConfigError);
    expect(() => encipherOfflinePin(c, key, pinBlock, challenge.slice(4), fixedRandom)).toThrow(/unpredictable/);
  });
});
