import { DukptError, DukptExhaustedError } from "./errors";

// The device side of DUKPT, common to both standards: one key register per transaction counter
// bit, each holding the key of a future counter, so that a transaction costs at most one
// derivation per bit and the device never holds a key from which a past key could be recovered.
// - TDES, ANSI X9.24-1:2009, A.2: 21 "future key registers", at most 10 one-bits per counter;
// - AES, ANSI X9.24-3:2017, 6.5.3: 32 "intermediate derivation key registers", at most 16.
//
// Register i holds the key of the counter made of the current counter's bits above i, plus bit i.
// The state is never changed in place: advancing yields a new state (with its own buffers) that
// the key store persists before the transaction's key is used (ARCHITECTURE.md: a counter is
// advanced and stored before its key is used).

export interface CounterRules {
  /** Counter width: 21 (X9.24-1) or 32 (X9.24-3). */
  readonly counterBits: number;
  /** Most one-bits a usable counter has: 10 (X9.24-1) or 16 (X9.24-3). */
  readonly maxOneBits: number;
  /** Name for messages. */
  readonly name: string;
}

export interface RegisterSchemeRules extends CounterRules {
  /** The key of `counter` from the key of its parent (the same counter less its lowest one-bit). */
  derive(parentKey: Uint8Array, counter: number): Uint8Array;
}

export interface RegisterState {
  /** The counter the next transaction uses; above the largest usable one when exhausted. */
  readonly counter: number;
  /** Register i (counter bit i) or null when empty ("LRC invalid" in X9.24-1's terms). */
  readonly registers: readonly (Uint8Array | null)[];
}

export interface RegisterAdvance {
  /** The counter of this transaction. */
  counter: number;
  /** The key of this counter (a copy the caller zeroizes): the TDES transaction key, the AES intermediate key. */
  key: Uint8Array;
  /** The state for the next transaction (fresh buffers). */
  next: RegisterState;
}

function oneBitCount(v: number): number {
  let n = 0;
  for (let x = v; x > 0; x = Math.floor(x / 2)) n += x % 2;
  return n;
}

function lowestOneBit(counter: number): number {
  let bit = 0;
  while (bit < 53 && Math.floor(counter / Math.pow(2, bit)) % 2 === 0) bit++;
  return bit;
}

/** The largest counter of the scheme: its top `maxOneBits` bits set. */
export function maxCounter(rules: CounterRules): number {
  return Math.pow(2, rules.counterBits) - Math.pow(2, rules.counterBits - rules.maxOneBits);
}

export function isExhausted(rules: CounterRules, counter: number): boolean {
  return counter > maxCounter(rules);
}

/**
 * "Load Initial Key" (X9.24-1:2009 A.2; X9.24-3:2017 6.5.3): register i gets the key of counter
 * 2^i, derived from the initial key, for every bit from the most significant down; the first
 * transaction uses counter 1.
 */
export function loadRegisters(rules: RegisterSchemeRules, initialKey: Uint8Array): RegisterState {
  const registers: (Uint8Array | null)[] = [];
  for (let i = rules.counterBits - 1; i >= 0; i--) registers[i] = rules.derive(initialKey, Math.pow(2, i));
  return { counter: 1, registers };
}

/**
 * One transaction: "Request PIN Entry"/"Generate Working Keys" (find the register of the lowest
 * one-bit; skip a counter whose register is empty by adding that bit), then "New Key" / "Update
 * State for next Transaction": if the counter has fewer than the maximum one-bits, fill the
 * registers below the current one with the keys of counter | 2^j from the current key and add one;
 * else add the lowest one-bit (skipping every counter with too many one-bits). The current
 * register is erased in the new state. Throws DukptExhaustedError past the last counter.
 */
export function advanceRegisters(rules: RegisterSchemeRules, state: RegisterState): RegisterAdvance {
  checkShape(rules, state);
  let counter = state.counter;
  let current = 0;
  for (;;) {
    if (counter === 0 || isExhausted(rules, counter)) {
      throw new DukptExhaustedError(`${rules.name}: the transaction counter is exhausted; load a new initial key`);
    }
    current = lowestOneBit(counter);
    if (state.registers[current] !== null) break;
    counter += Math.pow(2, current);
  }
  const key = (state.registers[current] as Uint8Array).slice();
  const registers: (Uint8Array | null)[] = state.registers.map((r) => (r === null ? null : r.slice()));
  const belowMax = oneBitCount(counter) < rules.maxOneBits;
  if (belowMax) {
    for (let j = current - 1; j >= 0; j--) registers[j] = rules.derive(key, counter + Math.pow(2, j));
  }
  (registers[current] as Uint8Array).fill(0);
  registers[current] = null;
  const nextCounter = belowMax ? counter + 1 : counter + Math.pow(2, current);
  return { counter, key, next: { counter: nextCounter, registers } };
}

/** Overwrites every register of a state that is no longer used. */
export function zeroizeRegisters(state: RegisterState): void {
  for (const r of state.registers) if (r !== null) r.fill(0);
}

/** A state from storage or a caller is checked before use: width, counter range, key lengths. */
export function checkShape(rules: CounterRules, state: RegisterState, keyBytes?: number): void {
  const ok = state !== null && typeof state === "object" && Array.isArray(state.registers) &&
    state.registers.length === rules.counterBits && Number.isInteger(state.counter) && state.counter >= 0 &&
    state.counter < Math.pow(2, rules.counterBits + 1);
  if (!ok) throw new DukptError("dukpt-state", `${rules.name}: device state is not well formed`);
  for (const r of state.registers) {
    if (r !== null && (!(r instanceof Uint8Array) || (keyBytes !== undefined && r.length !== keyBytes))) {
      throw new DukptError("dukpt-state", `${rules.name}: a key register has the wrong length`);
    }
  }
}
