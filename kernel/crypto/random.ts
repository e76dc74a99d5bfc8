// Random bytes for keys, nonces and PIN block fill (ISO 9564-1 formats 1, 3 and 4), always from the
// HAL's source: the ESP32's hardware RNG on the device, the host CSPRNG in the simulator, a seeded
// generator in repeatable tests. The kernel has no random source of its own.

import type { RandomSource } from "../../hal/random";
import { CryptoInputError } from "./errors";

/** Largest single request: more than any key block, nonce or PIN block fill needs. */
export const RANDOM_MAX_BYTES = 65536;

/** `n` fresh bytes from `source`. */
export function randomBytes(source: RandomSource, n: number): Uint8Array {
  if (source === null || typeof source !== "object" || typeof source.fill !== "function") {
    throw new CryptoInputError("crypto-random", "random: no random source");
  }
  if (!Number.isInteger(n) || n < 0 || n > RANDOM_MAX_BYTES) {
    throw new CryptoInputError("crypto-random", `random: ${n} bytes requested, expected 0 to ${RANDOM_MAX_BYTES}`);
  }
  const out = new Uint8Array(n);
  if (n > 0) source.fill(out);
  return out;
}
