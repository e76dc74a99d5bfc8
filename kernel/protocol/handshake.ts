import { concat } from "../bytes";
import { encodeTlv } from "../tlv";
import { decodeCertificate, encodeCertificate, type ReaderCertificate } from "./certificate";
import { MessageError, SessionError } from "./errors";
import { decodeFields, encodeFields } from "./fields";
import { decodeMessage, encodeMessage } from "./message";
import { HELLO_CODE, HELLO_FIELDS, HELLO_REPLY_CODE, HELLO_REPLY_SIGNATURE, HELLO_REPLY_SIGNED_FIELDS } from "./message-schemas";
import type { SessionCrypto } from "./session-crypto";
import { TAG } from "./tags";

// The session handshake (docs/protocol.md, "Secure session"), one round trip in the clear:
//
//   phone -> reader  HELLO        versions, phone ephemeral key Ep, nonce Np
//   reader -> phone  HELLO-REPLY  version, reader ephemeral key Er, nonce Nr, certificate,
//                                 signature by the identity key over label || HELLO || reply-so-far
//
// The phone checks the certificate against the fleet CA and the signature against the certificate's
// key: only the real reader can have answered this HELLO (the ephemeral keys are in what it signs,
// so a man in the middle cannot swap them). Both sides then derive, with HKDF-SHA-256 (RFC 5869):
//
//   th       = SHA-256(HELLO || HELLO-REPLY)                          transcript hash
//   Z        = ECDH(Ep, Er) x-coordinate (SEC 1, 3.3.1)
//   keys     = HKDF(Z, salt th, "mpos-ble v1 keys", 56): phone->reader key 16 | reader->phone key 16
//              | phone->reader IV 12 | reader->phone IV 12
//   exporter = HKDF(Z, salt th, "mpos-ble v1 exporter", 32): binds the phone's proofs to this session
//
// The phone is authenticated later, inside the protected channel (pairing.ts).

const LABEL_SIGNATURE = "mpos-ble v1 handshake";
const LABEL_KEYS = "mpos-ble v1 keys";
const LABEL_EXPORTER = "mpos-ble v1 exporter";

export const NONCE_BYTES = 16;

export interface Hello {
  protocolVersions: Uint8Array;
  ephemeralKey: Uint8Array;
  nonce: Uint8Array;
}

export interface HelloReply {
  protocolVersion: number;
  ephemeralKey: Uint8Array;
  nonce: Uint8Array;
  certificate: ReaderCertificate;
  signature: Uint8Array;
}

export interface DirectionKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

export interface SessionKeys {
  phoneToReader: DirectionKeys;
  readerToPhone: DirectionKeys;
  exporter: Uint8Array;
  transcriptHash: Uint8Array;
}

export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
}

export function encodeHello(hello: Hello): Uint8Array {
  return encodeMessage(HELLO_CODE, 0, encodeFields(HELLO_FIELDS, hello as unknown as Record<string, unknown>));
}

export function decodeHello(bytes: Uint8Array): Hello {
  const m = decodeMessage(bytes);
  if (m.type !== HELLO_CODE) throw new MessageError("message-type", `handshake: type ${m.type} is not HELLO`);
  return decodeFields(HELLO_FIELDS, m.body) as unknown as Hello;
}

/** The highest version both sides speak, or null. */
export function selectVersion(offered: Uint8Array, supported: readonly number[]): number | null {
  let best: number | null = null;
  for (let i = 0; i < offered.length; i++) {
    if (supported.indexOf(offered[i]) >= 0 && (best === null || offered[i] > best)) best = offered[i];
  }
  return best;
}

/** The reply up to its signature: what the reader signs (after the label and the HELLO). */
export function encodeHelloReplyCore(reply: Omit<HelloReply, "signature">): Uint8Array {
  const body = concat(
    encodeTlv(TAG.protocolVersions, Uint8Array.of(reply.protocolVersion)),
    encodeFields(HELLO_REPLY_SIGNED_FIELDS.slice(1, 3), reply as unknown as Record<string, unknown>),
    encodeCertificate(reply.certificate),
  );
  return encodeMessage(HELLO_REPLY_CODE, 0, body);
}

/** What the identity key signs. */
export function handshakeSignedData(hello: Uint8Array, replyCore: Uint8Array): Uint8Array {
  return concat(ascii(LABEL_SIGNATURE), hello, replyCore);
}

export function encodeHelloReply(replyCore: Uint8Array, signature: Uint8Array): Uint8Array {
  return concat(replyCore, encodeTlv(TAG.signature, signature));
}

/** The reply, and its bytes up to the signature (which must be its last field). */
export function decodeHelloReply(bytes: Uint8Array): { reply: HelloReply; core: Uint8Array } {
  const m = decodeMessage(bytes);
  if (m.type !== HELLO_REPLY_CODE) throw new MessageError("message-type", `handshake: type ${m.type} is not HELLO-REPLY`);
  const core = decodeFields(HELLO_REPLY_SIGNED_FIELDS, m.body) as { protocolVersions: Uint8Array; ephemeralKey: Uint8Array; nonce: Uint8Array; certificate: unknown };
  const sig = decodeFields([HELLO_REPLY_SIGNATURE], m.body) as { signature: Uint8Array };
  const sigTlv = encodeTlv(TAG.signature, sig.signature);
  const coreLength = bytes.length - sigTlv.length;
  for (let i = 0; i < sigTlv.length; i++) {
    if (bytes[coreLength + i] !== sigTlv[i]) throw new MessageError("message-malformed", "handshake: the signature is not the last field of HELLO-REPLY");
  }
  const certTlv = m.body.find((n) => n.tag === TAG.certificate);
  if (certTlv === undefined) throw new MessageError("message-malformed", "handshake: HELLO-REPLY without a certificate");
  const certificate = decodeCertificate(encodeTlv(TAG.certificate, certTlv.value));
  return {
    reply: { protocolVersion: core.protocolVersions[0], ephemeralKey: core.ephemeralKey, nonce: core.nonce, certificate, signature: sig.signature },
    core: bytes.slice(0, coreLength),
  };
}

/** The session's keys from the ECDH secret and the two handshake messages (zeroizes `sharedSecret`). */
export function deriveSessionKeys(crypto: SessionCrypto, sharedSecret: Uint8Array, hello: Uint8Array, reply: Uint8Array): SessionKeys {
  if (sharedSecret.length !== 32) throw new SessionError("session-key", "session: the ECDH secret is not 32 bytes");
  const transcriptHash = crypto.sha256(concat(hello, reply));
  const okm = crypto.hkdf(sharedSecret, transcriptHash, ascii(LABEL_KEYS), 56);
  const exporter = crypto.hkdf(sharedSecret, transcriptHash, ascii(LABEL_EXPORTER), 32);
  sharedSecret.fill(0);
  const keys: SessionKeys = {
    phoneToReader: { key: okm.slice(0, 16), iv: okm.slice(32, 44) },
    readerToPhone: { key: okm.slice(16, 32), iv: okm.slice(44, 56) },
    exporter,
    transcriptHash,
  };
  okm.fill(0);
  return keys;
}

/** Overwrites every key of a session. */
export function zeroizeSessionKeys(keys: SessionKeys): void {
  keys.phoneToReader.key.fill(0);
  keys.phoneToReader.iv.fill(0);
  keys.readerToPhone.key.fill(0);
  keys.readerToPhone.iv.fill(0);
  keys.exporter.fill(0);
}
