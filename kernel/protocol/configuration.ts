import { concat, constantTimeEqual } from "../bytes";
import { decodeTlv } from "../tlv";
import { ConfigurationError } from "./errors";
import { decodeFields, encodeFields, type EmvItem, type FieldSpec } from "./fields";
import type { SignedConfiguration } from "./message-types";
import type { SessionCrypto } from "./session-crypto";
import { TAG } from "./tags";

// The reader's configuration as the fleet sends it (docs/protocol.md, "Configuration"): terminal
// data (EMV Book 4, Annex A: 9F1A country code, 9F33 capabilities, 9F35 type...), the AIDs it
// accepts with their action codes and floor limit (EMV Book 3, 10.6 and 10.7), and the CA public keys
// for offline data authentication (EMV Book 2, 5.1 / 11.2.2). The payload is BER-TLV; the fleet
// configuration key signs it (ECDSA P-256 / SHA-256, r || s); the reader installs it only when the
// signature verifies with a key it trusts and the version is newer than the installed one.

export interface AidConfiguration {
  aid: Uint8Array;
  /** Application selection may match this AID as a prefix (EMV Book 1, 12.3.1). */
  partialSelection: boolean;
  applicationVersion?: Uint8Array;
  tacDefault?: Uint8Array;
  tacDenial?: Uint8Array;
  tacOnline?: Uint8Array;
  /** Terminal Floor Limit (9F1B) in minor units. */
  floorLimit?: number;
}

export interface CapkConfiguration {
  rid: Uint8Array;
  index: number;
  modulus: Uint8Array;
  exponent: Uint8Array;
  /** SHA-1 of RID || index || modulus || exponent (EMV Book 2, 11.2.2). */
  checksum: Uint8Array;
}

export interface ReaderConfiguration {
  version: number;
  terminalData: EmvItem[];
  aids: AidConfiguration[];
  capks: CapkConfiguration[];
}

/** A key the reader trusts to sign configurations. */
export interface TrustedKey {
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

const bytes = (min: number, max: number) => ({ t: "bytes" as const, min, max });

const AID_FIELDS: readonly FieldSpec[] = [
  { name: "aid", tag: TAG.aidValue, type: bytes(5, 16) },
  { name: "partialSelection", tag: TAG.partialSelection, type: { t: "bool" } },
  { name: "applicationVersion", tag: TAG.applicationVersion, type: bytes(2, 2), optional: true },
  { name: "tacDefault", tag: TAG.tacDefault, type: bytes(5, 5), optional: true },
  { name: "tacDenial", tag: TAG.tacDenial, type: bytes(5, 5), optional: true },
  { name: "tacOnline", tag: TAG.tacOnline, type: bytes(5, 5), optional: true },
  { name: "floorLimit", tag: TAG.floorLimit, type: { t: "uint", bytes: 4 }, optional: true },
];

const CAPK_FIELDS: readonly FieldSpec[] = [
  { name: "rid", tag: TAG.rid, type: bytes(5, 5) },
  { name: "index", tag: TAG.capkIndex, type: { t: "uint", bytes: 1 } },
  // EMV Book 2, 5.1: a CA public key modulus is at most 248 bytes; exponent 3 or 2^16 + 1.
  { name: "modulus", tag: TAG.modulus, type: bytes(64, 248) },
  { name: "exponent", tag: TAG.exponent, type: bytes(1, 3) },
  { name: "checksum", tag: TAG.capkChecksum, type: bytes(20, 20) },
];

const CONFIGURATION_FIELDS: readonly FieldSpec[] = [
  { name: "version", tag: TAG.configurationVersion, type: { t: "uint", bytes: 4, min: 1 } },
  { name: "terminalData", tag: TAG.terminalData, type: { t: "emv", maxItems: 32, clearOnly: true } },
  { name: "aids", tag: TAG.aid, type: { t: "record", fields: AID_FIELDS }, optional: true, repeated: 16 },
  { name: "capks", tag: TAG.capk, type: { t: "record", fields: CAPK_FIELDS }, optional: true, repeated: 16 },
];

export function encodeConfiguration(config: ReaderConfiguration): Uint8Array {
  return encodeFields(CONFIGURATION_FIELDS, config as unknown as Record<string, unknown>);
}

export function decodeConfiguration(payload: Uint8Array): ReaderConfiguration {
  try {
    return decodeFields(CONFIGURATION_FIELDS, decodeTlv(payload, { ffPadding: false })) as unknown as ReaderConfiguration;
  } catch {
    throw new ConfigurationError("config-malformed", "configuration: the payload does not decode");
  }
}

/** Host side (fleet tooling): signs an encoded configuration. */
export function signConfiguration(payload: Uint8Array, signerKeyId: Uint8Array, sign: (data: Uint8Array) => Uint8Array): SignedConfiguration {
  return { payload: payload.slice(), signature: sign(payload), signerKeyId: signerKeyId.slice() };
}

/**
 * Reader side: the configuration, once its signature verifies with a trusted key and every CA key's
 * checksum is right. `sha1` is the kernel provider's SHA-1 (FIPS 180-4).
 */
export function verifyConfiguration(crypto: SessionCrypto, signed: SignedConfiguration, trusted: readonly TrustedKey[],
    sha1: (data: Uint8Array) => Uint8Array): ReaderConfiguration {
  const signer = trusted.find((k) => constantTimeEqual(k.keyId, signed.signerKeyId));
  if (signer === undefined || !crypto.verify(signer.publicKey, signed.payload, signed.signature)) {
    throw new ConfigurationError("config-signature", "configuration: not signed by a trusted fleet key");
  }
  const config = decodeConfiguration(signed.payload);
  for (const k of config.capks) {
    const expected = sha1(concat(k.rid, Uint8Array.of(k.index), k.modulus, k.exponent));
    if (!constantTimeEqual(expected, k.checksum)) {
      throw new ConfigurationError("config-checksum", `configuration: CA key ${k.index} has a wrong checksum`);
    }
  }
  return config;
}
