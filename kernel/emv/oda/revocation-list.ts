// The terminal's Certification Revocation List (EMV Book 2, 5.3 step 10):
// issuer public key certificates the payment system has revoked, each named by the RID, the CA
// Public Key Index and the 3-byte Certificate Serial Number. When the triple of a recovered issuer
// certificate is on the list, SDA, DDA or CDA fails. Loaded from data:
//   { "entries": [ { "rid": "A000000003", "index": "E1", "serial": "0A0B0C" } ] }

import { fromHex, isHex, toHex } from "../../bytes";
import { OdaConfigError } from "./errors";

export class CertificateRevocationList {
  private readonly entries = new Set<string>();

  static fromJson(file: unknown): CertificateRevocationList {
    const crl = new CertificateRevocationList();
    if (file === null || typeof file !== "object" || !Array.isArray((file as { entries?: unknown }).entries)) {
      throw new OdaConfigError('revocation list: expected an object with an "entries" array');
    }
    (file as { entries: unknown[] }).entries.forEach((entry, i) => {
      const e = (entry ?? {}) as Record<string, unknown>;
      const hex = (name: string, bytes: number): Uint8Array => {
        const v = e[name];
        if (typeof v !== "string" || !isHex(v) || v.length !== bytes * 2) {
          throw new OdaConfigError(`revocation list entry ${i}: "${name}" must be ${bytes} bytes of hex`);
        }
        return fromHex(v);
      };
      crl.add(hex("rid", 5), hex("index", 1)[0], hex("serial", 3));
    });
    return crl;
  }

  add(rid: Uint8Array, index: number, serial: Uint8Array): void {
    this.entries.add(entryKey(rid, index, serial));
  }

  /** Book 2, 5.3 step 10: is RID || CA Public Key Index || Certificate Serial Number listed? */
  isRevoked(rid: Uint8Array, index: number, serial: Uint8Array): boolean {
    return this.entries.has(entryKey(rid, index, serial));
  }

  get size(): number {
    return this.entries.size;
  }
}

function entryKey(rid: Uint8Array, index: number, serial: Uint8Array): string {
  return `${toHex(rid)}/${index}/${toHex(serial)}`;
}
