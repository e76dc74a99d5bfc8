import { fromHex, toHex } from "../../kernel/bytes";
import { softwareSessionCrypto as c } from "../../kernel/protocol";
import { Secret } from "../../kernel/security/secret";

// The session's primitives against published vectors (never against our own output).
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

describe("session crypto: published vectors", () => {
  it("HKDF-SHA-256, RFC 5869 A.1 (test case 1)", () => {
    const okm = c.hkdf(fromHex("0B".repeat(22)), fromHex("000102030405060708090A0B0C"), fromHex("F0F1F2F3F4F5F6F7F8F9"), 42);
    expect(toHex(okm)).toBe("3CB25F25FAACD57A90434F64D0362F2A2D2D0A90CF1A5A4C5DB02D56ECC4C5BF34007208D5B887185865");
  });

  it("AES-128-GCM, McGrew and Viega, The GCM Mode of Operation, test case 3", () => {
    const key = fromHex("FEFFE9928665731C6D6A8F9467308308");
    const iv = fromHex("CAFEBABEFACEDBADDECAF888");
    const plain = fromHex("D9313225F88406E5A55909C5AFF5269A86A7A9531534F7DA2E4C303D8A318A721C3C0C95956809532FCF0E2449A6B525B16AEDF5AA0DE657BA637B391AAFD255");
    const sealed = c.gcmSeal(key, iv, new Uint8Array(0), plain);
    expect(toHex(sealed)).toBe(
      "42831EC2217774244B7221B784D0D49CE3AA212F2C02A4E035C17E2329ACA12E21D514B25466931C7D8F6A5AAC84AA051BA30B396A0AAC973D58E091473F5985" +
      "4D5C2AF327CD64A62CF35ABD2BA6FAB4");
    expect(c.gcmOpen(key, iv, new Uint8Array(0), sealed)).toEqual(plain);
    sealed[5] ^= 1;
    expect(c.gcmOpen(key, iv, new Uint8Array(0), sealed)).toBeNull();
  });

  it("ECDSA P-256 / SHA-256 verifies the RFC 6979 A.2.5 signature of \"sample\"", () => {
    const pub = fromHex("04" + "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6" + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");
    const sig = fromHex("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716" + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
    expect(c.verify(pub, ascii("sample"), sig)).toBe(true);
    expect(c.verify(pub, ascii("sampld"), sig)).toBe(false);
    // RFC 6979 signing is deterministic: the same r and s from the private key.
    const secret = new Secret(fromHex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"));
    expect(toHex(c.sign(secret, ascii("sample")))).toBe(toHex(sig));
  });

  it("ECDH P-256: the first NIST CAVS KAS ECC CDH primitive vector (ZIUT)", () => {
    const peer = fromHex("04" + "700C48F77F56584C5CC632CA65640DB91B6BACCE3A4DF6B42CE7CC838833D287" + "DB71E509E3FD9B060DDB20BA5C51DCC5948D46FBF640DFE0441782CAB85FA4AC");
    const d = new Secret(fromHex("7D7DC5F71EB29DDAF80D6214632EEAE03D9058AF1FB6D22ED80BADB62BC1A534"));
    expect(toHex(c.ecdh(d, peer))).toBe("46FC62106420FF012E54A434FBDD2D25CCC5852060561E68040DD7778997BD7B");
  });

  it("a public key that is not a P-256 point is refused (session-key), never used", () => {
    const d = new Secret(fromHex("7D7DC5F71EB29DDAF80D6214632EEAE03D9058AF1FB6D22ED80BADB62BC1A534"));
    const offCurve = fromHex("04" + "700C48F77F56584C5CC632CA65640DB91B6BACCE3A4DF6B42CE7CC838833D287" + "DB71E509E3FD9B060DDB20BA5C51DCC5948D46FBF640DFE0441782CAB85FA4AD");
    expect(() => c.ecdh(d, offCurve)).toThrow(expect.objectContaining({ code: "session-key" }));
    expect(() => c.ecdh(d, new Uint8Array(65))).toThrow(expect.objectContaining({ code: "session-key" }));
    expect(() => c.ecdh(d, fromHex("02700C48F77F56584C5CC632CA65640DB91B6BACCE3A4DF6B42CE7CC838833D287"))).toThrow(expect.objectContaining({ code: "session-key" }));
  });

  it("a key pair comes from the HAL random source (64 bits more than the order: FIPS 186-5 A.2.1)", () => {
    const asked: number[] = [];
    const pair = c.generateKeyPair({ fill: (b) => { asked.push(b.length); b.fill(7); } });
    expect(asked).toEqual([48]);
    expect(pair.publicKey).toHaveLength(65);
    expect(pair.publicKey[0]).toBe(4);
    expect(JSON.stringify(pair.secretKey)).toBe('"[redacted]"');
  });
});
