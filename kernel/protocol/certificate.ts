import { decodeTlv, encodeTlv } from "../tlv";
import { decodeFields, encodeFields } from "./fields";
import { SessionError } from "./errors";
import { CERTIFICATE_FIELDS } from "./message-schemas";
import type { SessionCrypto } from "./session-crypto";
import { TAG } from "./tags";

// The reader's identity certificate (docs/protocol.md, "Reader identity"): the fleet CA vouches that
// a P-256 public key belongs to the reader with this serial number, for a period. BER-TLV under
// template E1, signed with ECDSA P-256 / SHA-256 by the fleet CA over the encoding of every field
// but the signature, in table order. The phone SDK pins the fleet CA's public key.

export const CERTIFICATE_VERSION = 1;

export interface ReaderCertificate {
  version: number;
  /** The reader's serial number. */
  subject: string;
  /** The reader's identity key, SEC 1 uncompressed. */
  publicKey: Uint8Array;
  /** Validity, seconds since 1970-01-01 UTC. */
  notBefore: number;
  notAfter: number;
  /** keyId() of the CA key that signed it. */
  issuerKeyId: Uint8Array;
  signature: Uint8Array;
}

const SIGNED_FIELDS = CERTIFICATE_FIELDS.filter((f) => f.name !== "signature");

/** The first 8 bytes of SHA-256 of a public key: how a certificate or a configuration names its signer. */
export function keyId(crypto: SessionCrypto, publicKey: Uint8Array): Uint8Array {
  return crypto.sha256(publicKey).slice(0, 8);
}

/** The bytes the CA signs. */
export function certificateSignedData(cert: Omit<ReaderCertificate, "signature">): Uint8Array {
  return encodeFields(SIGNED_FIELDS, cert as unknown as Record<string, unknown>);
}

/** The certificate as its E1 template. */
export function encodeCertificate(cert: ReaderCertificate): Uint8Array {
  return encodeTlv(TAG.certificate, encodeFields(CERTIFICATE_FIELDS, cert as unknown as Record<string, unknown>));
}

/** A certificate from its E1 template. */
export function decodeCertificate(bytes: Uint8Array): ReaderCertificate {
  let nodes;
  try {
    nodes = decodeTlv(bytes);
  } catch {
    throw new SessionError("session-certificate", "certificate: not BER-TLV");
  }
  if (nodes.length !== 1 || nodes[0].tag !== TAG.certificate || nodes[0].children === undefined) {
    throw new SessionError("session-certificate", "certificate: not one E1 template");
  }
  try {
    return decodeFields(CERTIFICATE_FIELDS, nodes[0].children) as unknown as ReaderCertificate;
  } catch {
    throw new SessionError("session-certificate", "certificate: a field is missing or malformed");
  }
}

/** The CA's signature over a certificate, for the fleet tooling (host side). */
export function signCertificate(caSign: (data: Uint8Array) => Uint8Array, cert: Omit<ReaderCertificate, "signature">): ReaderCertificate {
  return { ...cert, signature: caSign(certificateSignedData(cert)) };
}

/**
 * Checks a reader certificate against the pinned fleet CA key: version, issuer, signature, and the
 * validity period when the checker knows the time. Any failure is "session-certificate".
 */
export function verifyCertificate(crypto: SessionCrypto, cert: ReaderCertificate, caPublicKey: Uint8Array,
    nowSeconds: number | null, expectedSubject?: string): void {
  if (cert.version !== CERTIFICATE_VERSION) throw new SessionError("session-certificate", `certificate: version ${cert.version} is unknown`);
  const caId = keyId(crypto, caPublicKey);
  let same = cert.issuerKeyId.length === caId.length;
  for (let i = 0; same && i < caId.length; i++) same = cert.issuerKeyId[i] === caId[i];
  if (!same) throw new SessionError("session-certificate", "certificate: issued by another CA");
  if (!crypto.verify(caPublicKey, certificateSignedData(cert), cert.signature)) {
    throw new SessionError("session-certificate", "certificate: the CA signature does not verify");
  }
  if (nowSeconds !== null && (nowSeconds < cert.notBefore || nowSeconds > cert.notAfter)) {
    throw new SessionError("session-certificate", "certificate: outside its validity period");
  }
  if (expectedSubject !== undefined && expectedSubject !== cert.subject) {
    throw new SessionError("session-certificate", "certificate: issued to another reader");
  }
}
