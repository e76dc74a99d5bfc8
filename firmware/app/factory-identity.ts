import type { SecureStorage } from "../../hal/secure-storage";
import { MposError } from "../../kernel/errors";
import { decodeCertificate, keyId, type ReaderCertificate, type ReaderIdentity, type SessionCrypto, type TrustedKey } from "../../kernel/protocol";
import { Secret } from "../../kernel/security/secret";
import type { FactoryIdentity } from "./reader-firmware";

// The reader's identity as the factory wrote it into secure storage (docs/protocol.md, "Secure
// session"): the P-256 identity key, its certificate signed by the fleet CA, and the fleet
// configuration key the reader trusts. The records are read once at start-up; the secret key stays
// inside the identity and is never returned. At rest the identity holds only the certificate's E1
// encoding and the key as one Secret (issue 10, item 5: every parsed object costs XS slots); the
// certificate is decoded when a handshake asks for it (docs/protocol.md, HELLO-REPLY).

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

/** The identity at rest: the certificate as its encoding, the key as a Secret; no parsed object, no closure. */
class StoredIdentity implements ReaderIdentity {
  constructor(private readonly crypto: SessionCrypto, private readonly key: Secret, private readonly encoded: Uint8Array) {}

  /** Decoded on each use: the record decoded once at start-up, so it cannot fail here. */
  get certificate(): ReaderCertificate {
    return decodeCertificate(this.encoded);
  }

  sign(data: Uint8Array): Uint8Array {
    return this.crypto.sign(this.key, data);
  }
}

/** Reads the factory identity; a missing or malformed record is a FactoryIdentityError (the reader stays off the air). */
export async function readFactoryIdentity(storage: SecureStorage, crypto: SessionCrypto, model: string): Promise<FactoryIdentity> {
  const secret = await record(storage, IDENTITY_RECORDS.key);
  if (secret.length !== SECRET_KEY_BYTES) throw new FactoryIdentityError("factory identity: the identity key has the wrong length");
  const encoded = await record(storage, IDENTITY_RECORDS.certificate);
  let certificate;
  try {
    certificate = decodeCertificate(encoded);
  } catch (e) {
    if (e instanceof FactoryIdentityError || !(e instanceof MposError)) throw e;
    throw new FactoryIdentityError("factory identity: the certificate does not decode");
  }
  const configurationKey = await record(storage, IDENTITY_RECORDS.configurationKey);
  if (configurationKey.length !== PUBLIC_KEY_BYTES || configurationKey[0] !== 0x04) {
    throw new FactoryIdentityError("factory identity: the configuration key is not an uncompressed P-256 point");
  }
  const trusted: TrustedKey = { keyId: keyId(crypto, configurationKey), publicKey: configurationKey };
  const identity = new StoredIdentity(crypto, Secret.adopt(secret), encoded);
  return { model, serial: certificate.subject, identity, trustedConfigurationKeys: [trusted] };
}
