// A test-side signer for EMV Book 2 certificates and signatures, written from the layouts of Book 2
// Tables 6, 7, 14, 17 and 19 with Node's own RSA (crypto.privateEncrypt without padding) and
// SHA-1. It is independent of the code under test (kernel/emv/oda verifies, host-sim/cards signs):
// tests use it to make well-formed and deliberately broken signed data.
import { constants, createHash, createPrivateKey, privateEncrypt } from "crypto";
import simKeys from "../../../host-sim/cards/keys/sim-keys.json";

export interface TestRsaKey {
  modulus: string;
  exponent: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qinv: string;
}

const b64u = (hex: string): string => Buffer.from(hex, "hex").toString("base64url");
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();
const bytes = (h: string): Buffer => Buffer.from(h, "hex");

export function simKey(kind: "ca" | "issuers" | "iccs", idOrRid: string): TestRsaKey {
  const list = (simKeys as any)[kind] as any[];
  const k = list.find((x) => x.id === idOrRid || x.rid === idOrRid);
  if (!k) throw new Error(`no sim key ${kind}/${idOrRid}`);
  return k;
}

/** The RSA private operation m^d mod n, with Node's crypto. */
export function rsaSign(key: TestRsaKey, message: Uint8Array): Buffer {
  const pk = createPrivateKey({
    key: {
      kty: "RSA", n: b64u(key.modulus), e: b64u(key.exponent), d: b64u(key.d), p: b64u(key.p), q: b64u(key.q),
      dp: b64u(key.dp), dq: b64u(key.dq), qi: b64u(key.qinv),
    },
    format: "jwk",
  });
  return privateEncrypt({ key: pk, padding: constants.RSA_NO_PADDING }, Buffer.from(message));
}

const sha1 = (...parts: Uint8Array[]): Buffer => createHash("sha1").update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest();

/** Builds 6A | body | hash(body || extra) | BC, with `body` padded with BB to fill the modulus. */
function signed(signer: TestRsaKey, head: Buffer, keyField: Buffer, room: number, hashTail: Buffer[], tamper?: (x: Buffer) => void): Buffer {
  const n = signer.modulus.length / 2;
  const field = Buffer.alloc(room, 0xbb);
  keyField.copy(field, 0, 0, Math.min(room, keyField.length));
  const body = Buffer.concat([head, field]);
  const x = Buffer.concat([Buffer.from([0x6a]), body, sha1(body, ...hashTail), Buffer.from([0xbc])]);
  if (x.length !== n) throw new Error(`layout: ${x.length} != ${n}`);
  if (tamper) tamper(x);
  return rsaSign(signer, x);
}

export interface IssuerCertSpec {
  ca: TestRsaKey;
  issuer: TestRsaKey;
  issuerId: string; // 8 hex digits, 'F'-padded, e.g. "476173FF"
  expiry: string; // MMYY
  serial: string; // 6 hex digits
  format?: number;
  hashAlgorithm?: number;
  pkAlgorithm?: number;
  tamper?: (recovered: Buffer) => void;
}

/** Book 2 Table 6. Returns the certificate, remainder and exponent as hex. */
export function issuerCertificate(s: IssuerCertSpec): { certificate: string; remainder: string; exponent: string } {
  const nca = s.ca.modulus.length / 2;
  const ni = s.issuer.modulus.length / 2;
  const head = Buffer.concat([
    Buffer.from([s.format ?? 0x02]), bytes(s.issuerId), bytes(s.expiry), bytes(s.serial),
    Buffer.from([s.hashAlgorithm ?? 1, s.pkAlgorithm ?? 1, ni, s.issuer.exponent.length / 2]),
  ]);
  const room = nca - 36;
  const modulus = bytes(s.issuer.modulus);
  const remainder = modulus.subarray(Math.min(room, ni));
  const cert = signed(s.ca, head, modulus, room, [remainder, bytes(s.issuer.exponent)], s.tamper);
  return { certificate: hex(cert), remainder: hex(remainder), exponent: s.issuer.exponent };
}

export interface IccCertSpec {
  issuer: TestRsaKey;
  icc: TestRsaKey;
  pan: string; // 20 hex digits, 'F'-padded
  expiry: string;
  serial: string;
  staticData: string;
  tamper?: (recovered: Buffer) => void;
}

/** Book 2 Table 14. */
export function iccCertificate(s: IccCertSpec): { certificate: string; remainder: string; exponent: string } {
  const ni = s.issuer.modulus.length / 2;
  const nic = s.icc.modulus.length / 2;
  const head = Buffer.concat([
    Buffer.from([0x04]), bytes(s.pan), bytes(s.expiry), bytes(s.serial), Buffer.from([1, 1, nic, s.icc.exponent.length / 2]),
  ]);
  const room = ni - 42;
  const modulus = bytes(s.icc.modulus);
  const remainder = modulus.subarray(Math.min(room, nic));
  const cert = signed(s.issuer, head, modulus, room, [remainder, bytes(s.icc.exponent), bytes(s.staticData)], s.tamper);
  return { certificate: hex(cert), remainder: hex(remainder), exponent: s.icc.exponent };
}

/** Book 2 Table 7: Signed Static Application Data. */
export function signedStaticData(issuer: TestRsaKey, dac: string, staticData: string): string {
  const ni = issuer.modulus.length / 2;
  const head = Buffer.concat([Buffer.from([0x03, 0x01]), bytes(dac)]);
  return hex(signed(issuer, head, Buffer.alloc(0), ni - 26, [bytes(staticData)]));
}

/** Book 2 Table 17: Signed Dynamic Application Data over `iccDynamicData` and terminal data. */
export function signedDynamicData(icc: TestRsaKey, iccDynamicData: string, terminalData: string): string {
  const nic = icc.modulus.length / 2;
  const dynamic = bytes(iccDynamicData);
  const head = Buffer.concat([Buffer.from([0x05, 0x01, dynamic.length]), dynamic]);
  return hex(signed(icc, head, Buffer.alloc(0), nic - 25 - dynamic.length, [bytes(terminalData)]));
}

export function sha1Hex(...hexParts: string[]): string {
  return hex(sha1(...hexParts.map(bytes)));
}
