import { fromHex, toHex } from "../../kernel/bytes";
import { InputError } from "../../kernel/errors";
import { CERTIFICATE_VERSION, encodeCertificate, keyId, signCertificate, type ReaderCertificate, type SessionCrypto } from "../../kernel/protocol";
import type { RandomSource } from "../../hal/random";
import { Secret } from "../../kernel/security/secret";
import { IDENTITY_RECORDS } from "../../firmware/app/factory-identity";
import fleetKeys from "../fleet/fleet-keys.json";

// The factory's commissioning of one reader's identity (docs/protocol.md, "Secure session"): a
// P-256 identity key generated for the serial, its certificate signed by the fleet CA, and the
// fleet configuration key the reader trusts - the three records of the NVS namespace
// "mpos-identity" that firmware/app/factory-identity.ts reads at start-up. Here the fleet CA is the
// simulated one (host-sim/fleet, TEST keys); a real line signs with the fleet CA in its HSM and
// passes only the public configuration key.

/** The NVS namespace the records go in (firmware/device.ts IDENTITY_DOMAIN). */
export const IDENTITY_NAMESPACE = "mpos-identity";

/** The certificate's subject: the reader's serial, 1 to 24 letters and digits (kernel/protocol CERTIFICATE_FIELDS, "an"). */
const SERIAL = /^[A-Za-z0-9]{1,24}$/;
/** The certificate's validity when the line does not say: 20 years. */
const DEFAULT_VALIDITY_SECONDS = 20 * 365 * 24 * 3600;

export interface ProvisionRequest {
  serial: string;
  /** Start of the certificate's validity, seconds since 1970. */
  notBefore: number;
  /** Validity, seconds (default 20 years). */
  validitySeconds?: number;
}

export interface IdentityRecords {
  /** Record name (factory-identity.ts IDENTITY_RECORDS) to its bytes; the identity key is secret. */
  records: Record<string, Uint8Array>;
  certificate: ReaderCertificate;
}

export class ProvisionError extends InputError {
  constructor(message: string) {
    super("provision", message);
    this.name = "ProvisionError";
  }
}

/** Generates the identity key for `serial` and certifies it with the (simulated) fleet CA. */
export function provisionIdentity(crypto: SessionCrypto, random: RandomSource, request: ProvisionRequest): IdentityRecords {
  if (!SERIAL.test(request.serial)) throw new ProvisionError("the serial is 1 to 24 letters and digits");
  const validity = request.validitySeconds ?? DEFAULT_VALIDITY_SECONDS;
  if (!Number.isSafeInteger(request.notBefore) || request.notBefore < 0 || !Number.isSafeInteger(validity) || validity < 1
      || request.notBefore + validity > 0xffffffff) {
    throw new ProvisionError("the validity must lie within 1970 to 2106 (4-byte seconds)");
  }
  const pair = crypto.generateKeyPair(random);
  const caPublic = fromHex(fleetKeys.fleetCa.publicKey);
  const caSecret = new Secret(fromHex(fleetKeys.fleetCa.secretKey));
  let certificate: ReaderCertificate;
  try {
    certificate = signCertificate((data) => crypto.sign(caSecret, data), {
      version: CERTIFICATE_VERSION, subject: request.serial, publicKey: pair.publicKey,
      notBefore: request.notBefore, notAfter: request.notBefore + validity, issuerKeyId: keyId(crypto, caPublic),
    });
  } finally {
    caSecret.zeroize();
  }
  const secretKey = pair.secretKey.copy();
  pair.secretKey.zeroize();
  return {
    records: {
      [IDENTITY_RECORDS.key]: secretKey,
      [IDENTITY_RECORDS.certificate]: encodeCertificate(certificate),
      [IDENTITY_RECORDS.configurationKey]: fromHex(fleetKeys.fleetConfiguration.publicKey),
    },
    certificate,
  };
}

/** The public facts of a provisioned identity, for the line's records (never the identity key). */
export function identitySummary(crypto: SessionCrypto, identity: IdentityRecords) {
  const c = identity.certificate;
  return {
    serial: c.subject, publicKey: toHex(c.publicKey), keyId: toHex(keyId(crypto, c.publicKey)), issuerKeyId: toHex(c.issuerKeyId),
    notBefore: c.notBefore, notAfter: c.notAfter,
  };
}
