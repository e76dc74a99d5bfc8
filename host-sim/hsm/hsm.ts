import type { RandomSource } from "../../hal/random";
import { constantTimeEqual, toHex } from "../../kernel/bytes";
import type { CryptoProvider } from "../../kernel/crypto";
import {
  decodePinBlockDigits, dukptAesHostKey, dukptAesInitialKey, dukptAesUpdateKey, dukptTdesHostKey, dukptTdesIpek,
  openEnvelope, wrapKeyBlock, tdesKsn, Secret, type P2peEnvelope, type SensitiveItem,
} from "../../kernel/security";
import { KeyStoreError } from "../../kernel/security/errors";

// The simulator's hardware security module, the acquirer's side of the reader's keys. It holds the
// BDKs (never a reader) and does what a payment HSM does for this system:
// - key injection: derives a reader's initial DUKPT key from a BDK and wraps it in a TR-31 key
//   block (usage B1, mode X) under that reader's key block protection key;
// - AES DUKPT key update (X9.24-3:2017, 6.5): a new initial key wrapped under the update key;
// - P2PE: opens an envelope (MAC first, in constant time) into the card data;
// - online PIN: decrypts a PIN block of a KSN and compares it with the PIN on file.

export interface HsmOptions {
  crypto: CryptoProvider;
  random: RandomSource;
  /** AES DUKPT BDK (16, 24 or 32 bytes). */
  aesBdk?: Uint8Array;
  /** TDES DUKPT BDK (16 bytes). */
  tdesBdk?: Uint8Array;
}

export type DukptSchemeName = "aes-dukpt" | "tdes-dukpt";

export class SimulatedHsm {
  private readonly c: CryptoProvider;
  private readonly random: RandomSource;
  private readonly aesBdk?: Secret;
  private readonly tdesBdk?: Secret;

  constructor(options: HsmOptions) {
    this.c = options.crypto;
    this.random = options.random;
    // Secrets: the HSM object can be logged or serialized without showing a BDK.
    this.aesBdk = options.aesBdk ? new Secret(options.aesBdk) : undefined;
    this.tdesBdk = options.tdesBdk ? new Secret(options.tdesBdk) : undefined;
  }

  /** A copy of the BDK of `scheme`, which the caller zeroizes. */
  private bdk(scheme: DukptSchemeName): Uint8Array {
    const bdk = scheme === "aes-dukpt" ? this.aesBdk : this.tdesBdk;
    if (!bdk) throw new KeyStoreError("no-key", `hsm: no ${scheme} BDK`);
    return bdk.copy();
  }

  /**
   * The key block that injects a reader's initial DUKPT key: for AES DUKPT `id` is the 8-byte Initial
   * Key ID (optional block IK), for TDES the 10-byte initial KSN (optional block KS). Version B
   * under a TDEA KBPK, D under an AES KBPK.
   */
  initialKeyBlock(scheme: DukptSchemeName, id: Uint8Array, kbpk: Uint8Array, kbpkAlgorithm: "T" | "A"): string {
    const bdk = this.bdk(scheme);
    const key = scheme === "aes-dukpt" ? dukptAesInitialKey(this.c, bdk, id) : dukptTdesIpek(this.c, bdk, id);
    bdk.fill(0);
    try {
      return wrapKeyBlock(this.c, kbpk, key, {
        version: kbpkAlgorithm === "T" ? "B" : "D",
        usage: "B1",
        algorithm: scheme === "aes-dukpt" ? "A" : "T",
        modeOfUse: "X",
        keyVersion: "00",
        exportability: "N",
        optionalBlocks: [scheme === "aes-dukpt" ? { id: "IK", data: toHex(id) } : { id: "KS", data: toHex(tdesKsn(id, 0)) }],
        random: this.random,
      });
    } finally {
      key.fill(0);
    }
  }

  /**
   * X9.24-3:2017, 6.5: the key block that moves an AES DUKPT reader from Initial Key ID `current` to
   * `next`: the new initial key wrapped (version D) under the current key's update key.
   */
  updateKeyBlock(current: Uint8Array, next: Uint8Array): string {
    const bdk = this.bdk("aes-dukpt");
    const type = bdk.length === 16 ? "aes128" : bdk.length === 24 ? "aes192" : "aes256";
    const ik = dukptAesInitialKey(this.c, bdk, current);
    const updateKey = dukptAesUpdateKey(this.c, ik, current, type);
    ik.fill(0);
    const newIk = dukptAesInitialKey(this.c, bdk, next);
    bdk.fill(0);
    try {
      return wrapKeyBlock(this.c, updateKey, newIk, {
        version: "D", usage: "B1", algorithm: "A", modeOfUse: "X", keyVersion: "00", exportability: "N",
        optionalBlocks: [{ id: "IK", data: toHex(next) }], random: this.random,
      });
    } finally {
      updateKey.fill(0);
      newIk.fill(0);
    }
  }

  /** Opens a P2PE envelope from a reader. */
  openEnvelope(envelope: P2peEnvelope): SensitiveItem[] {
    const bdk = this.bdk(envelope.scheme);
    try {
      return openEnvelope(this.c, bdk, envelope);
    } finally {
      bdk.fill(0);
    }
  }

  /** The PIN of an online PIN block as ASCII digits (the caller zeroizes them). */
  decryptPin(result: { block: Uint8Array; ksn: Uint8Array; format: 0 | 4 }, pan: string): Uint8Array {
    if (result.format === 4) {
      const bdk = this.bdk("aes-dukpt");
      const type = bdk.length === 16 ? "aes128" : bdk.length === 24 ? "aes192" : "aes256";
      const key = dukptAesHostKey(this.c, bdk, result.ksn, "pin", type);
      bdk.fill(0);
      try {
        return decodePinBlockDigits(4, result.block, { pan, key }, this.c);
      } finally {
        key.fill(0);
      }
    }
    const tdesBdk = this.bdk("tdes-dukpt");
    const key = dukptTdesHostKey(this.c, tdesBdk, result.ksn, "pin");
    tdesBdk.fill(0);
    const clear = this.c.tdesEcbDecrypt(key, result.block);
    key.fill(0);
    try {
      return decodePinBlockDigits(0, clear, { pan }, this.c);
    } finally {
      clear.fill(0);
    }
  }

  /** PIN verification: true when the block carries `expected` (compared in constant time). */
  verifyPin(result: { block: Uint8Array; ksn: Uint8Array; format: 0 | 4 }, pan: string, expected: Uint8Array): boolean {
    let pin: Uint8Array;
    try {
      pin = this.decryptPin(result, pan);
    } catch {
      return false;
    }
    const ok = constantTimeEqual(pin, expected);
    pin.fill(0);
    return ok;
  }
}
