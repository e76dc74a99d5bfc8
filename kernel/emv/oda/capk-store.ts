// The terminal's Certification Authority public keys (EMV Book 2, 11.2.2 and Book 3, 10.3: the
// terminal selects the key by the RID of the selected AID and the CA Public Key Index, tag 8F).
// Keys are loaded from data shaped like ../shared/vectors/capk-test.json:
//   { "keys": [ { "rid": "A000000003", "index": "92", "modulus": "HEX", "exponent": "03",
//                 "checksum": "HEX", "expiry"?: "YYMMDD" } ] }
// and every key's check sum (SHA-1 over RID || index || modulus || exponent, Book 2, 11.2.2) is
// verified before the key is accepted: a key that fails is a configuration error at load.

import { constantTimeEqual, fromHex, isHex, toHex, concat, packBytes } from "../../bytes";
import type { CryptoProvider } from "../../crypto/provider";
import { OdaConfigError } from "./errors";
import { isEmvExponent, type RsaPublicKey } from "./rsa-key";

/** EMV Book 2, 11.2: CA public key moduli are at most 1984 bits (248 bytes). */
export const MAX_CA_MODULUS_BYTES = 248;

export interface CaPublicKey extends RsaPublicKey {
  /** Registered Application Provider Identifier, 5 bytes. */
  rid: Uint8Array;
  /** Certification Authority Public Key Index (tag 8F). */
  index: number;
  /** Last day the key may be used, YYMMDD as 3 BCD bytes, when the file says. */
  expiry?: Uint8Array;
}

function field(entry: Record<string, unknown>, name: string, where: string): string {
  const v = entry[name];
  if (typeof v !== "string" || !isHex(v)) throw new OdaConfigError(`capk ${where}: "${name}" must be hex`);
  return v;
}

/** Book 2, 11.2.2: the CA Public Key Check Sum over RID || index || modulus || exponent. */
export function capkChecksum(c: CryptoProvider, key: CaPublicKey): Uint8Array {
  return c.sha1(concat(key.rid, new Uint8Array([key.index]), key.modulus, key.exponent));
}

/** Parses and verifies one key entry; throws OdaConfigError naming the RID and index. */
export function parseCaPublicKey(c: CryptoProvider, entry: unknown, position: number): CaPublicKey {
  if (entry === null || typeof entry !== "object") throw new OdaConfigError(`capk entry ${position}: not an object`);
  const e = entry as Record<string, unknown>;
  const rid = fromHex(field(e, "rid", `entry ${position}`));
  const indexBytes = fromHex(field(e, "index", `entry ${position}`));
  if (rid.length !== 5) throw new OdaConfigError(`capk entry ${position}: RID must be 5 bytes`);
  if (indexBytes.length !== 1) throw new OdaConfigError(`capk entry ${position}: index must be 1 byte`);
  const where = `${toHex(rid)}/${toHex(indexBytes)}`;
  const key: CaPublicKey = {
    rid,
    index: indexBytes[0],
    modulus: fromHex(field(e, "modulus", where)),
    exponent: fromHex(field(e, "exponent", where)),
  };
  if (key.modulus.length < 64 || key.modulus.length > MAX_CA_MODULUS_BYTES || key.modulus[0] === 0) {
    throw new OdaConfigError(`capk ${where}: modulus of ${key.modulus.length} bytes is outside 64 to ${MAX_CA_MODULUS_BYTES}`);
  }
  if (!isEmvExponent(key.exponent)) throw new OdaConfigError(`capk ${where}: exponent must be 3 or 65537 (Book 2, 11.2)`);
  if (e.expiry !== undefined) {
    const expiry = fromHex(field(e, "expiry", where));
    if (expiry.length !== 3) throw new OdaConfigError(`capk ${where}: expiry must be YYMMDD`);
    key.expiry = expiry;
  }
  if (e.checksum === undefined) throw new OdaConfigError(`capk ${where}: no checksum`);
  const checksum = fromHex(field(e, "checksum", where));
  if (!constantTimeEqual(checksum, capkChecksum(c, key))) {
    throw new OdaConfigError(`capk ${where}: checksum does not match (Book 2, 11.2.2)`);
  }
  return key;
}

/** The terminal's CA public keys, by RID and index. */
export class CapkStore {
  private readonly keys = new Map<string, CaPublicKey>();

  static fromJson(c: CryptoProvider, ...files: unknown[]): CapkStore {
    const store = new CapkStore();
    for (const file of files) store.load(c, file);
    return store;
  }

  /** Adds every key of one file (see the header comment); a later key replaces an equal RID/index. */
  load(c: CryptoProvider, file: unknown): void {
    if (file === null || typeof file !== "object" || !Array.isArray((file as { keys?: unknown }).keys)) {
      throw new OdaConfigError('capk: expected an object with a "keys" array');
    }
    const entries = (file as { keys: unknown[] }).keys;
    // One buffer for the keys' bytes (RID, modulus, exponent...): they rest in the reader's RAM (kernel/bytes/pack.ts).
    const parsed = packBytes(entries.map((entry, i) => parseCaPublicKey(c, entry, i)));
    for (const key of parsed) this.keys.set(storeKey(key.rid, key.index), key);
  }

  find(rid: Uint8Array, index: number): CaPublicKey | undefined {
    return this.keys.get(storeKey(rid, index));
  }

  get size(): number {
    return this.keys.size;
  }

  list(): CaPublicKey[] {
    return Array.from(this.keys.values());
  }
}

function storeKey(rid: Uint8Array, index: number): string {
  return `${toHex(rid)}/${index}`;
}
