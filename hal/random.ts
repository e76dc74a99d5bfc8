/**
 * A source of cryptographically strong random bytes: the ESP32's hardware RNG on the device,
 * the host's CSPRNG in the simulator, a seeded generator in tests that need repeatable runs.
 */
export interface RandomSource {
  /** Fills `bytes` entirely with random data. */
  fill(bytes: Uint8Array): void;
}
