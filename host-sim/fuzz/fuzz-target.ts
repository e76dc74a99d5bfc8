import type { Prng } from "../magstripe/prng";

/**
 * One thing to fuzz. `run` feeds it one input; it must end in a defined outcome: return normally
 * (a result, or a business outcome as data) or throw one of the typed errors `isDefinedError`
 * accepts. Anything else (a TypeError, a RangeError, a hang past the modeled clock) is a finding.
 */
export interface FuzzTarget {
  name: string;
  /** Valid inputs to mutate (the corpus). */
  seeds(): Uint8Array[];
  run(input: Uint8Array): void | Promise<void>;
  /** Whether an exception is a defined outcome (a typed error with a code). */
  isDefinedError(error: unknown): boolean;
  /** Upper bound on one input's length (default 4096). */
  maxLength?: number;
  /**
   * A mutation that knows the input's structure (a card response's BER-TLV, say), drawn for half of
   * the mutated inputs; null when the seed has no such structure (a byte-level mutation then).
   */
  mutate?(seed: Uint8Array, rng: Prng): Uint8Array | null;
}
