import type { CryptoProvider } from "../crypto";
import { DukptError } from "./errors";
import {
  AES_DUKPT_IKID_BYTES, AES_DUKPT_MAX_ONE_BITS, aesDerivationKeyType, aesKsn, deriveIntermediateKey,
  deriveWorkingKey, dukptAesUpdateKey, dukptKeyBytes,
  type AesDerivationKeyType, type AesDukptKeyUsage, type DukptKeyType,
} from "./dukpt-aes";
import {
  advanceRegisters, checkShape, isExhausted, loadRegisters, maxCounter, zeroizeRegisters,
  type CounterRules, type RegisterSchemeRules,
} from "./dukpt-registers";

// AES DUKPT, device side (ANSI X9.24-3:2017, 6.5): the Initial Key ID, the transaction counter,
// the 32 intermediate derivation key registers and the DUKPT update key. The Initial Key itself is
// not kept: once the registers are filled it is erased (6.5.3 "Load Initial Key").

export interface AesDukptDeviceState {
  readonly scheme: "aes-dukpt";
  /** Type of the Initial Key and of every intermediate key. */
  readonly keyType: AesDerivationKeyType;
  readonly initialKeyId: Uint8Array;
  /** The counter the next transaction uses. */
  readonly counter: number;
  /** Intermediate derivation key register i holds the key of counter bit i, or null. */
  readonly registers: readonly (Uint8Array | null)[];
  /** X9.24-3:2017, 6.5.3: the key a host uses to send a new Initial Key (same type as the IK). */
  readonly updateKey: Uint8Array;
}

/** One transaction's keys: its KSN and the intermediate key every working key comes from. */
export interface AesDukptTransaction {
  readonly ksn: Uint8Array;
  readonly counter: number;
  /** Zeroized by the caller once the working keys are derived. */
  readonly intermediateKey: Uint8Array;
  /** The state to persist before any working key is used. */
  readonly next: AesDukptDeviceState;
}

/** X9.24-3:2017, 6.1 and 6.5.2: a 32-bit counter with at most 16 one-bits. */
const COUNTER: CounterRules = { counterBits: 32, maxOneBits: AES_DUKPT_MAX_ONE_BITS, name: "dukpt-aes" };

function rules(c: CryptoProvider, type: AesDerivationKeyType, initialKeyId: Uint8Array): RegisterSchemeRules {
  return {
    ...COUNTER,
    derive: (parent, counter) => deriveIntermediateKey(c, parent, type, initialKeyId, counter),
  };
}

/**
 * X9.24-3:2017, 6.5.3 "Load Initial Key": fills the 32 registers from the Initial Key, computes the
 * update key, and sets the counter to 1. The caller erases its copy of the Initial Key.
 */
export function aesDukptLoadInitialKey(c: CryptoProvider, initialKey: Uint8Array, initialKeyId: Uint8Array): AesDukptDeviceState {
  const keyType = aesDerivationKeyType(initialKey, "dukpt-aes Initial Key");
  if (!(initialKeyId instanceof Uint8Array) || initialKeyId.length !== AES_DUKPT_IKID_BYTES) {
    throw new DukptError("dukpt-ksn", `dukpt-aes: an Initial Key ID is ${AES_DUKPT_IKID_BYTES} bytes (16 hex digits)`);
  }
  const ikid = initialKeyId.slice();
  const { counter, registers } = loadRegisters(rules(c, keyType, ikid), initialKey);
  const updateKey = dukptAesUpdateKey(c, initialKey, ikid, keyType);
  return { scheme: "aes-dukpt", keyType, initialKeyId: ikid, counter, registers, updateKey };
}

/**
 * X9.24-3:2017, 6.5.3 "Generate Working Keys" and "Update State for next Transaction": the KSN and
 * intermediate key of this transaction, and the next state. Pure: `state` is left as it was.
 * Throws DukptExhaustedError when no counter is left.
 */
export function aesDukptNextTransaction(c: CryptoProvider, state: AesDukptDeviceState): AesDukptTransaction {
  checkAesDeviceState(state);
  const r = rules(c, state.keyType, state.initialKeyId);
  const step = advanceRegisters(r, state);
  const next: AesDukptDeviceState = {
    scheme: "aes-dukpt",
    keyType: state.keyType,
    initialKeyId: state.initialKeyId.slice(),
    counter: step.next.counter,
    registers: step.next.registers,
    updateKey: state.updateKey.slice(),
  };
  return { ksn: aesKsn(state.initialKeyId, step.counter), counter: step.counter, intermediateKey: step.key, next };
}

/** A working key of this transaction (X9.24-3:2017, 6.3): never stronger than the intermediate key. */
export function aesDukptWorkingKey(c: CryptoProvider, tx: AesDukptTransaction, usage: AesDukptKeyUsage, keyType: DukptKeyType): Uint8Array {
  return deriveWorkingKey(c, tx.intermediateKey, tx.ksn.subarray(0, 8), tx.counter, usage, keyType);
}

/** True when the device has no counter left (X9.24-3:2017, 6.5.2). */
export function aesDukptExhausted(state: AesDukptDeviceState): boolean {
  return isExhausted(COUNTER, state.counter);
}

/** The KSN the next transaction will carry (non-secret: for status displays). */
export function aesDukptNextKsn(state: AesDukptDeviceState): Uint8Array {
  return aesKsn(state.initialKeyId, Math.min(state.counter, maxCounter(COUNTER)));
}

/** Zeroizes every key of a state that is being replaced or erased. */
export function zeroizeAesDukptState(state: AesDukptDeviceState): void {
  zeroizeRegisters(state);
  state.updateKey.fill(0);
}

/** Checks a state that came from storage or a caller before any key in it is used. */
export function checkAesDeviceState(state: AesDukptDeviceState): void {
  if (state === null || typeof state !== "object" || state.scheme !== "aes-dukpt" ||
      !(state.initialKeyId instanceof Uint8Array) || state.initialKeyId.length !== AES_DUKPT_IKID_BYTES ||
      !(state.updateKey instanceof Uint8Array) || (state.keyType !== "aes128" && state.keyType !== "aes192" && state.keyType !== "aes256")) {
    throw new DukptError("dukpt-state", "dukpt-aes: device state is not well formed");
  }
  const keyBytes = dukptKeyBytes(state.keyType);
  if (state.updateKey.length !== keyBytes) throw new DukptError("dukpt-state", "dukpt-aes: the update key has the wrong length");
  checkShape(COUNTER, state, keyBytes);
}
