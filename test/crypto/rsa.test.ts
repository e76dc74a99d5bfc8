import { constants, createPublicKey, generateKeyPairSync, privateEncrypt, publicEncrypt, randomBytes as nodeRandomBytes } from "crypto";
import { fromHex, toHex } from "../../kernel/bytes";
import { CryptoInputError, softwareCrypto as c } from "../../kernel/crypto";
import { loadVectors } from "../support/vectors";

const h = fromHex;
const b64u = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64url"));

/** A random input below the modulus: same length, first byte below the modulus's first byte. */
function inputBelow(modulus: Uint8Array): Uint8Array {
  const m = new Uint8Array(nodeRandomBytes(modulus.length));
  m[0] = m[0] % modulus[0];
  return m;
}

describe("RSA public operation (RFC 8017 RSAVP1, EMV Book 2 recovery)", () => {
  it("the classic worked example: n = 3233, e = 17, m = 65 gives 2790", () => {
    expect(toHex(c.rsaPublic(h("0CA1"), h("11"), h("0041")))).toBe("0AE6");
  });

  it("agrees with OpenSSL's raw RSA on the EMV test CA keys (e = 3 and 2^16 + 1, 1024 to 1984 bits)", () => {
    for (const k of loadVectors("capk-test.json").keys) {
      const n = h(k.modulus);
      const key = createPublicKey({
        key: { kty: "RSA", n: Buffer.from(n).toString("base64url"), e: Buffer.from(h(k.exponent)).toString("base64url") },
        format: "jwk",
      });
      const m = inputBelow(n);
      const expected = publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, m);
      expect(toHex(c.rsaPublic(n, h(k.exponent), m))).toBe(Buffer.from(expected).toString("hex").toUpperCase());
    }
  });

  it("EMV Book 2, 5.3: recovers data signed with the private key (a key verified by Node's crypto)", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024, publicExponent: 3 });
    const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
    const n = b64u(jwk.n);
    const e = b64u(jwk.e);
    // A Book 2 style recovered block: header 6A, data, trailer BC, the modulus length in all.
    const data = new Uint8Array(n.length);
    data[0] = 0x6a;
    data.set(nodeRandomBytes(n.length - 2), 1);
    data[n.length - 1] = 0xbc;
    const signature = new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, data));
    expect(toHex(c.rsaPublic(n, e, signature))).toBe(toHex(data));
  });

  it("left-pads a short result to the modulus length", () => {
    // 2^3 mod 3233 = 8: one significant byte, two bytes out.
    expect(toHex(c.rsaPublic(h("0CA1"), h("03"), h("0002")))).toBe("0008");
  });
});

describe("RSA input checks", () => {
  const n = h("0CA1");
  const reject = (mod: Uint8Array, exp: Uint8Array, input: Uint8Array) =>
    expect(() => c.rsaPublic(mod, exp, input)).toThrow(expect.objectContaining({ code: "crypto-rsa" }));

  it("RFC 8017 5.2.2 step 1: the input must be less than the modulus", () => {
    reject(n, h("03"), h("0CA1"));
    reject(n, h("03"), h("FFFF"));
  });

  it("EMV Book 2, 5.3 step 1: the input must have the modulus length", () => {
    reject(n, h("03"), h("41"));
    reject(n, h("03"), h("000041"));
  });

  it("the exponent must be non-zero and no longer than the modulus", () => {
    reject(n, h("00"), h("0041"));
    reject(n, new Uint8Array(0), h("0041"));
    reject(n, h("010001"), h("0041"));
  });

  it("the modulus must be odd, above 1, without a leading zero byte, at most 4096 bits", () => {
    reject(h("0CA0"), h("03"), h("0041"));
    reject(h("00A1"), h("03"), h("0041"));
    reject(h("01"), h("03"), h("00"));
    reject(new Uint8Array(0), h("03"), new Uint8Array(0));
    const big = new Uint8Array(513).fill(0xff);
    reject(big, h("03"), new Uint8Array(513));
  });

  it("refuses non-bytes", () => {
    expect(() => c.rsaPublic("0CA1" as unknown as Uint8Array, h("03"), h("0041"))).toThrow(CryptoInputError);
  });
});
