import { fromHex } from "../../kernel/bytes";
import {
  encodeConfiguration, keyId, signCertificate, signConfiguration, softwareIdentity, softwareSessionCrypto, CERTIFICATE_VERSION,
  type ReaderCertificate, type ReaderConfiguration, type ReaderIdentity, type SessionCrypto, type SignedConfiguration,
  type TrustedKey,
} from "../../kernel/protocol";
import { Secret } from "../../kernel/security/secret";
import fleetKeys from "./fleet-keys.json";

// The simulated fleet (TEST keys, host-sim/fleet/fleet-keys.json, made by make-fleet-keys.mjs):
// - the fleet CA, which certifies readers' identity keys; the phone SDK pins its public key;
// - the fleet configuration key, which signs reader configurations; the reader trusts it;
// - the simulated reader's identity key and its certificate, signed here at load time (RFC 6979
//   deterministic ECDSA: the same certificate every time).
// Pure TypeScript over the kernel: it runs on Node and in the XS engine (protocol services).

export interface SimulatedFleet {
  fleetCaPublicKey: Uint8Array;
  readerModel: string;
  readerSerial: string;
  readerCertificate: ReaderCertificate;
  readerIdentity: ReaderIdentity;
  trustedConfigurationKeys: TrustedKey[];
  /** Signs a configuration with the fleet configuration key (what the fleet server does). */
  signConfiguration(config: ReaderConfiguration): SignedConfiguration;
}

export function loadFleet(crypto: SessionCrypto = softwareSessionCrypto): SimulatedFleet {
  const caPublic = fromHex(fleetKeys.fleetCa.publicKey);
  const caSecret = new Secret(fromHex(fleetKeys.fleetCa.secretKey));
  const r = fleetKeys.reader;
  const certificate = signCertificate((data) => crypto.sign(caSecret, data), {
    version: CERTIFICATE_VERSION,
    subject: r.serial,
    publicKey: fromHex(r.publicKey),
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    issuerKeyId: keyId(crypto, caPublic),
  });
  caSecret.zeroize();
  const configPublic = fromHex(fleetKeys.fleetConfiguration.publicKey);
  const configId = keyId(crypto, configPublic);
  const configSecret = new Secret(fromHex(fleetKeys.fleetConfiguration.secretKey));
  return {
    fleetCaPublicKey: caPublic,
    readerModel: r.model,
    readerSerial: r.serial,
    readerCertificate: certificate,
    readerIdentity: softwareIdentity(crypto, fromHex(r.secretKey), certificate),
    trustedConfigurationKeys: [{ keyId: configId, publicKey: configPublic }],
    signConfiguration: (config) => signConfiguration(encodeConfiguration(config), configId, (data) => crypto.sign(configSecret, data)),
  };
}
