import { ed25519 } from "@noble/curves/ed25519.js";
import { constantTimeEqual } from "../../kernel/bytes";
import { FirmwareUpdateError } from "../../kernel/firmware-update/errors";

// Ed25519 key files for the release tools, in the formats OpenSSL reads (`openssl pkey -in FILE`):
// the private key as PKCS#8 (RFC 5958) and the public key as SubjectPublicKeyInfo (RFC 5280), both
// with the id-Ed25519 algorithm identifier of RFC 8410 (section 3, OID 1.3.101.112), PEM-armoured
// (RFC 7468). Only these exact encodings are read: the DER of an Ed25519 key has one form.

/** RFC 8410, 7: SEQUENCE { INTEGER 0, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { OCTET STRING (32) } }. */
const PKCS8_PREFIX = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20);
/** RFC 8410, 4: SEQUENCE { AlgorithmIdentifier { id-Ed25519 }, BIT STRING (0 unused bits, 32 bytes) }. */
const SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);
const KEY_BYTES = 32;

export type KeyFile =
  | { kind: "private"; secretKey: Uint8Array; publicKey: Uint8Array }
  | { kind: "public"; publicKey: Uint8Array };

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export function privateKeyPem(secretKey: Uint8Array): string {
  if (secretKey.length !== KEY_BYTES) throw new FirmwareUpdateError("fw-key-file", "private key: 32 bytes");
  const der = new Uint8Array(PKCS8_PREFIX.length + KEY_BYTES);
  der.set(PKCS8_PREFIX, 0);
  der.set(secretKey, PKCS8_PREFIX.length);
  const text = pem("PRIVATE KEY", der);
  der.fill(0);
  return text;
}

export function publicKeyPem(publicKey: Uint8Array): string {
  if (publicKey.length !== KEY_BYTES) throw new FirmwareUpdateError("fw-key-file", "public key: 32 bytes");
  const der = new Uint8Array(SPKI_PREFIX.length + KEY_BYTES);
  der.set(SPKI_PREFIX, 0);
  der.set(publicKey, SPKI_PREFIX.length);
  return pem("PUBLIC KEY", der);
}

/** RFC 7468, 2: strict PEM; one block, base64 in the body, nothing else. */
function unarmour(text: string): { label: string; der: Uint8Array } {
  const m = /^\s*-----BEGIN ([A-Z ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END ([A-Z ]+)-----\s*$/.exec(text);
  if (m === null || m[1] !== m[3]) throw new FirmwareUpdateError("fw-key-file", "key file: not a PEM key");
  const body = m[2].replace(/\r?\n/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw new FirmwareUpdateError("fw-key-file", "key file: bad base64");
  }
  return { label: m[1], der: new Uint8Array(Buffer.from(body, "base64")) };
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length === prefix.length + KEY_BYTES && constantTimeEqual(bytes.subarray(0, prefix.length), prefix);
}

/** Reads an Ed25519 private (PKCS#8) or public (SPKI) key file. */
export function parseKeyFile(text: string): KeyFile {
  const { label, der } = unarmour(text);
  if (label === "PRIVATE KEY") {
    if (!startsWith(der, PKCS8_PREFIX)) throw new FirmwareUpdateError("fw-key-file", "key file: not an Ed25519 private key");
    const secretKey = der.slice(PKCS8_PREFIX.length);
    der.fill(0);
    return { kind: "private", secretKey, publicKey: ed25519.getPublicKey(secretKey) };
  }
  if (label === "PUBLIC KEY") {
    if (!startsWith(der, SPKI_PREFIX)) throw new FirmwareUpdateError("fw-key-file", "key file: not an Ed25519 public key");
    return { kind: "public", publicKey: der.slice(SPKI_PREFIX.length) };
  }
  throw new FirmwareUpdateError("fw-key-file", `key file: a ${label} is not an Ed25519 key`);
}
