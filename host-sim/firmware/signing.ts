import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat } from "../../kernel/bytes";
import { encodeImageHeader } from "../../kernel/firmware-update/image-header";
import { keyIdOf } from "../../kernel/firmware-update/signature";
import type { FirmwareVersion } from "../../kernel/firmware-update/version";

// The release side of the image format (kernel/firmware-update/image-header.ts): builds the header
// and signs it. Runs on a release machine with the signing key, never on a reader (which holds only
// the public key). The production key lives outside the repository; host-sim/firmware/test-keys/
// holds a TEST key pair for the simulator and the tests.

export interface ImageFields {
  product: string;
  hardwareRevision: number;
  version: FirmwareVersion;
}

/**
 * The simulated reader's identity: what `mpos firmware sign` targets by default. The product is the
 * device build's (manifest.json config `mposProduct`), which the simulator's readers run too
 * (host-sim/xs-bridge/reader-factory.ts), so a default-signed image installs on them.
 */
export const SIMULATED_READER = {
  product: "MPOS-R1",
  hardwareRevision: 1,
  /** The version in slot 0 when a simulated reader leaves the factory. */
  factoryVersion: { major: 1, minor: 0, patch: 0 } as FirmwareVersion,
};

/** header || Ed25519 signature over the header (RFC 8032 5.1.6) || image. */
export function signImage(image: Uint8Array, fields: ImageFields, secretKey: Uint8Array): Uint8Array {
  const publicKey = ed25519.getPublicKey(secretKey);
  const header = encodeImageHeader({
    product: fields.product,
    hardwareRevision: fields.hardwareRevision,
    version: fields.version,
    imageLength: image.length,
    imageHash: sha256(image),
    keyId: keyIdOf(publicKey),
  });
  return concat(header, ed25519.sign(header, secretKey), image);
}

/** A new key pair from 32 random bytes (RFC 8032 5.1.5: the private key is the 32-byte seed). */
export function keyPairFromSeed(seed: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  if (seed.length !== 32) throw new Error("key pair: the seed is 32 bytes");
  const secretKey = seed.slice();
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}
