import type { SecureStorage } from "../../hal/secure-storage";
import { MposError } from "../../kernel/errors";
import { decodeCertificate, keyId, softwareIdentity, type SessionCrypto, type TrustedKey } from "../../kernel/protocol";
import type { FactoryIdentity } from "./reader-firmware";

// The reader's identity as the factory wrote it into secure storage (docs/protocol.md, "Secure
// session"): the P-256 identity key, its certificate signed by the fleet CA, and the fleet
// configuration key the reader trusts. The records are read once at start-up; the secret key stays
// inside the identity's signing function and is never returned.

/** NVS record names of the identity domain (ESP-IDF NVS keys: at most 15 characters). */
export const IDENTITY_RECORDS = { key: "id-key", certificate: "id-cert", configurationKey: "id-cfg-key" } as const;

/** A P-256 private key is 32 bytes (SEC 1, 2.3.6); a SEC 1 uncompressed public key 65 bytes (2.3.3). */
const SECRET_KEY_BYTES = 32;
const PUBLIC_KEY_BYTES = 65;

export class FactoryIdentityError extends MposError {
  constructor(message: string) {
    super("factory-identity", message);
    this.name = "FactoryIdentityError";
  }
}

async function record(storage: SecureStorage, name: string): Promise<Uint8Array> {
  const r = await storage.read(name);
  if (r === null) throw new FactoryIdentityError(`factory identity: record ${name} is missing (the reader was not commissioned)`);
  return r;
}

/** Reads the factory identity; a missing or malformed record is a FactoryIdentityError (the reader stays off the air). */
export async function readFactoryIdentity(storage: SecureStorage, crypto: SessionCrypto, model: string): Promise<FactoryIdentity> {
  const secret = await record(storage, IDENTITY_RECORDS.key);
  if (secret.length !== SECRET_KEY_BYTES) throw new FactoryIdentityError("factory identity: the identity key has the wrong length");
  let certificate;
  try {
    certificate = decodeCertificate(await record(storage, IDENTITY_RECORDS.certificate));
  } catch (e) {
    if (e instanceof FactoryIdentityError || !(e instanceof MposError)) throw e;
    throw new FactoryIdentityError("factory identity: the certificate does not decode");
  }
  const configurationKey = await record(storage, IDENTITY_RECORDS.configurationKey);
  if (configurationKey.length !== PUBLIC_KEY_BYTES || configurationKey[0] !== 0x04) {
    throw new FactoryIdentityError("factory identity: the configuration key is not an uncompressed P-256 point");
  }
  const trusted: TrustedKey = { keyId: keyId(crypto, configurationKey), publicKey: configurationKey };
  const identity = softwareIdentity(crypto, secret.slice(), certificate);
  secret.fill(0);
  return { model, serial: certificate.subject, identity, trustedConfigurationKeys: [trusted] };
}
