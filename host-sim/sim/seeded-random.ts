import type { RandomSource } from "../../hal/random";
import { concat, writeUint } from "../../kernel/bytes";
import type { CryptoProvider } from "../../kernel/crypto";

// A repeatable random source for simulated transactions: SHA-256 over a seed and a block counter.
// Every run with the same seed draws the same unpredictable numbers, random pads and PIN block
// fills, on Node and on the XS engine alike, so both engines give identical results. Simulation
// only: the reader's randomness comes from the HAL's hardware generator.

export class SeededRandom implements RandomSource {
  private block: Uint8Array = new Uint8Array(0);
  private used = 0;
  private counter = 0;

  constructor(private readonly crypto: CryptoProvider, private readonly seed: Uint8Array) {}

  fill(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      if (this.used === this.block.length) {
        this.block = this.crypto.sha256(concat(this.seed, writeUint(this.counter++, 4)));
        this.used = 0;
      }
      bytes[i] = this.block[this.used++];
    }
  }
}
