import type { CryptoProvider } from "../crypto";
import { DukptError, KeyError } from "./errors";
import {
  TDES_DUKPT_COUNTER_BITS, TDES_DUKPT_KSN_BYTES, TDES_DUKPT_MAX_ONE_BITS, ksnRegister, nonReversibleKey,
  parseTdesKsn, tdesKsn, tdesVariantKey, type TdesDukptVariant,
} from "./dukpt-tdes";
import {
  advanceRegisters, checkShape, isExhausted, loadRegisters, maxCounter, zeroizeRegisters,
  type CounterRules, type RegisterSchemeRules,
} from "./dukpt-registers";

// TDES DUKPT, device side (ANSI X9.24-1:2009, A.2 "Processing Algorithms"): the KSN register, the
// 21 future key registers and the 10-one-bit rule. The IPEK is not kept after loading.

export interface TdesDukptDeviceState {
  readonly scheme: "tdes-dukpt";
  /** The Initial Key Serial Number (10 bytes, counter bits zero). */
  readonly initialKsn: Uint8Array;
  /** The counter the next transaction uses. */
  readonly counter: number;
  /** Future key register i holds the key of counter bit i, or null ("LRC invalid"). */
  readonly registers: readonly (Uint8Array | null)[];
}

export interface TdesDukptTransaction {
  readonly ksn: Uint8Array;
  readonly counter: number;
  /** The transaction key (A.2 "Request PIN Entry 2"); zeroized by the caller. */
  readonly transactionKey: Uint8Array;
  readonly next: TdesDukptDeviceState;
}

/** A.2: a 21-bit encryption counter with at most 10 one-bits. */
const COUNTER: CounterRules = { counterBits: TDES_DUKPT_COUNTER_BITS, maxOneBits: TDES_DUKPT_MAX_ONE_BITS, name: "dukpt-tdes" };

function rules(c: CryptoProvider, initialKsn: Uint8Array): RegisterSchemeRules {
  return { ...COUNTER, derive: (parent, counter) => nonReversibleKey(c, parent, ksnRegister(initialKsn, counter)) };
}

/**
 * A.2 "Load Initial Key": the IPEK and its KSN (counter ignored) fill the 21 future key
 * registers; the first transaction uses counter 1. The caller erases its copy of the IPEK.
 */
export function tdesDukptLoadInitialKey(c: CryptoProvider, ipek: Uint8Array, initialKsn: Uint8Array): TdesDukptDeviceState {
  if (!(ipek instanceof Uint8Array) || ipek.length !== 16) {
    throw new KeyError("key-length", "dukpt-tdes: an IPEK is 16 bytes (double-length TDEA)");
  }
  const iksn = parseTdesKsn(initialKsn).initialKsn;
  const { counter, registers } = loadRegisters(rules(c, iksn), ipek);
  return { scheme: "tdes-dukpt", initialKsn: iksn, counter, registers };
}

/**
 * A.2 "Request PIN Entry 1/2", "Set Bit" and "New Key": the KSN and transaction key of this
 * transaction, and the next state. Pure. Throws DukptExhaustedError when no counter is left.
 */
export function tdesDukptNextTransaction(c: CryptoProvider, state: TdesDukptDeviceState): TdesDukptTransaction {
  checkTdesDeviceState(state);
  const step = advanceRegisters(rules(c, state.initialKsn), state);
  const next: TdesDukptDeviceState = {
    scheme: "tdes-dukpt",
    initialKsn: state.initialKsn.slice(),
    counter: step.next.counter,
    registers: step.next.registers,
  };
  return { ksn: tdesKsn(state.initialKsn, step.counter), counter: step.counter, transactionKey: step.key, next };
}

/** A working key of this transaction (A.4.1 variants). */
export function tdesDukptWorkingKey(c: CryptoProvider, tx: TdesDukptTransaction, variant: TdesDukptVariant): Uint8Array {
  return tdesVariantKey(c, tx.transactionKey, variant);
}

/** True when the device has no counter left (A.2 "New Key-4": cease operation). */
export function tdesDukptExhausted(state: TdesDukptDeviceState): boolean {
  return isExhausted(COUNTER, state.counter);
}

/** The KSN the next transaction will carry (non-secret). */
export function tdesDukptNextKsn(state: TdesDukptDeviceState): Uint8Array {
  return tdesKsn(state.initialKsn, Math.min(state.counter, maxCounter(COUNTER)));
}

export function zeroizeTdesDukptState(state: TdesDukptDeviceState): void {
  zeroizeRegisters(state);
}

export function checkTdesDeviceState(state: TdesDukptDeviceState): void {
  if (state === null || typeof state !== "object" || state.scheme !== "tdes-dukpt" ||
      !(state.initialKsn instanceof Uint8Array) || state.initialKsn.length !== TDES_DUKPT_KSN_BYTES) {
    throw new DukptError("dukpt-state", "dukpt-tdes: device state is not well formed");
  }
  checkShape(COUNTER, state, 16);
}
