import type { RandomSource } from "../../hal/random";
import type { CryptoProvider } from "../crypto";
import {
  aesDukptNextTransaction, aesDukptWorkingKey, checkAesDeviceState, zeroizeAesDukptState, type AesDukptDeviceState,
} from "./dukpt-aes-device";
import {
  checkTdesDeviceState, tdesDukptNextTransaction, tdesDukptWorkingKey, zeroizeTdesDukptState, type TdesDukptDeviceState,
} from "./dukpt-tdes-device";
import { DukptError } from "./errors";
import { envelopePlaintext, sealEnvelope, type P2peEnvelope, type P2peScheme, type SensitiveItem } from "./p2pe";
import { encodePinBlockDigits } from "./pin-block";

// What one DUKPT transaction gives the device: a KSN and, from the keys of that KSN only, an online
// PIN block and a P2PE envelope. Keys never leave this module's objects except into the two
// operations: there is no way to encrypt arbitrary data under the PIN key (ARCHITECTURE.md).
//
// Working keys by scheme:
//   AES DUKPT  (X9.24-3:2017): PIN "pin", data "data-encrypt", MAC "mac-gen", each of the Initial
//              Key's AES type; online PIN block ISO 9564-1 format 4.
//   TDES DUKPT (X9.24-1:2009): PIN variant, data request variant, MAC request variant; online PIN
//              block ISO 9564-1 format 0, TDES-ECB encrypted (the X9.24-1 example).

export type DukptDeviceState = AesDukptDeviceState | TdesDukptDeviceState;

export interface OnlinePinBlock {
  block: Uint8Array;
  ksn: Uint8Array;
  format: 0 | 4;
}

/** The keys of one transaction, usable only through its two operations; zeroize() when done. */
export interface DukptTransactionKeys {
  readonly scheme: P2peScheme;
  readonly ksn: Uint8Array;
  readonly counter: number;
  /** ISO 9564-1 format 4 (AES) or format 0 (TDES) PIN block under the PIN key. */
  pinBlock(c: CryptoProvider, pin: Uint8Array, pan: string, random: RandomSource): OnlinePinBlock;
  /** The P2PE envelope of `plaintext` (from envelopePlaintext) under the data and MAC keys. */
  envelope(c: CryptoProvider, plaintext: Uint8Array): P2peEnvelope;
  zeroize(): void;
}

export function checkDukptDeviceState(state: DukptDeviceState): void {
  if (state !== null && typeof state === "object" && state.scheme === "aes-dukpt") checkAesDeviceState(state);
  else if (state !== null && typeof state === "object" && state.scheme === "tdes-dukpt") checkTdesDeviceState(state);
  else throw new DukptError("dukpt-state", "dukpt: unknown device state");
}

export function zeroizeDukptState(state: DukptDeviceState): void {
  if (state.scheme === "aes-dukpt") zeroizeAesDukptState(state);
  else zeroizeTdesDukptState(state);
}

/**
 * Advances the device to its next transaction: the keys of this KSN and the state to persist
 * before they are used (the caller stores `next`, then uses `keys`). Throws DukptExhaustedError.
 */
export function beginDukptTransaction(c: CryptoProvider, state: DukptDeviceState): { keys: DukptTransactionKeys; next: DukptDeviceState } {
  checkDukptDeviceState(state);
  if (state.scheme === "aes-dukpt") {
    const tx = aesDukptNextTransaction(c, state);
    const type = state.keyType;
    const keys: DukptTransactionKeys = {
      scheme: "aes-dukpt",
      ksn: tx.ksn,
      counter: tx.counter,
      pinBlock(cp, pin, pan, random) {
        const key = aesDukptWorkingKey(cp, tx, "pin", type);
        try {
          return { block: encodePinBlockDigits(4, pin, { pan, random, key }, cp), ksn: tx.ksn.slice(), format: 4 };
        } finally {
          key.fill(0);
        }
      },
      envelope(cp, plaintext) {
        const dataKey = aesDukptWorkingKey(cp, tx, "data-encrypt", type);
        const macKey = aesDukptWorkingKey(cp, tx, "mac-gen", type);
        try {
          return sealEnvelope(cp, "aes-dukpt", tx.ksn, dataKey, macKey, plaintext);
        } finally {
          dataKey.fill(0);
          macKey.fill(0);
        }
      },
      zeroize() {
        tx.intermediateKey.fill(0);
      },
    };
    return { keys, next: tx.next };
  }
  const tx = tdesDukptNextTransaction(c, state);
  const keys: DukptTransactionKeys = {
    scheme: "tdes-dukpt",
    ksn: tx.ksn,
    counter: tx.counter,
    pinBlock(cp, pin, pan) {
      const key = tdesDukptWorkingKey(cp, tx, "pin");
      const clear = encodePinBlockDigits(0, pin, { pan }, cp);
      try {
        return { block: cp.tdesEcbEncrypt(key, clear), ksn: tx.ksn.slice(), format: 0 };
      } finally {
        key.fill(0);
        clear.fill(0);
      }
    },
    envelope(cp, plaintext) {
      const dataKey = tdesDukptWorkingKey(cp, tx, "data-request");
      const macKey = tdesDukptWorkingKey(cp, tx, "mac-request");
      try {
        return sealEnvelope(cp, "tdes-dukpt", tx.ksn, dataKey, macKey, plaintext);
      } finally {
        dataKey.fill(0);
        macKey.fill(0);
      }
    },
    zeroize() {
      tx.transactionKey.fill(0);
    },
  };
  return { keys, next: tx.next };
}

/**
 * The device's whole cryptographic work for one card-present transaction, as one pure function
 * (the bench measures it): advance the DUKPT state, derive the working keys, build the online PIN
 * block and the P2PE envelope. The returned `next` state must be persisted before the results are
 * released (the key store does that); `state` is not changed.
 */
export function protectTransaction(c: CryptoProvider, state: DukptDeviceState,
    input: { pin: Uint8Array; pan: string; items: readonly SensitiveItem[] }, random: RandomSource):
    { next: DukptDeviceState; pinBlock: OnlinePinBlock; envelope: P2peEnvelope } {
  const plaintext = envelopePlaintext(input.items);
  const { keys, next } = beginDukptTransaction(c, state);
  try {
    const pinBlock = keys.pinBlock(c, input.pin, input.pan, random);
    const envelope = keys.envelope(c, plaintext);
    return { next, pinBlock, envelope };
  } catch (e) {
    zeroizeDukptState(next);
    throw e;
  } finally {
    keys.zeroize();
    plaintext.fill(0);
  }
}
