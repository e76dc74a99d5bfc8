import type { RandomSource } from "../random";
import { BridgeWireError } from "./wire";
import type { HostLink } from "./host-link";

// The random source (hal/random.ts) of the firmware on the XS engine: the host's generator (its
// CSPRNG, or the seeded generator of a repeatable simulation) fills the bytes, synchronously.

export const RANDOM = "random";

export class BridgeRandom implements RandomSource {
  constructor(private readonly link: HostLink) {}

  fill(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const got = this.link.callSync(RANDOM, "fill", [bytes.length]);
    if (!(got instanceof Uint8Array) || got.length !== bytes.length) {
      throw new BridgeWireError("the host's random source returned the wrong number of bytes");
    }
    bytes.set(got);
    got.fill(0);
  }
}
