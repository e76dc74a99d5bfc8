import type { Prng } from "../magstripe/prng";
import type { FuzzTarget } from "./fuzz-target";

// Structure-blind mutations of a seed input, the classic operators of AFL and libFuzzer: bit flips,
// interesting bytes, arithmetic on bytes, insertions, deletions, duplicated and truncated runs.
// Targets that know their structure add their own mutators on top.

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xfe, 0xff, 0x60, 0x61, 0x6c, 0x90];

export function mutate(seed: Uint8Array, rng: Prng, maxLength = 4096): Uint8Array {
  let data = Array.from(seed);
  const rounds = 1 + rng.int(0, 3);
  for (let r = 0; r < rounds; r++) {
    const at = data.length === 0 ? 0 : rng.int(0, data.length - 1);
    switch (rng.int(0, 8)) {
      case 0: // flip one bit
        if (data.length) data[at] ^= 1 << rng.int(0, 7);
        break;
      case 1: // an interesting byte
        if (data.length) data[at] = rng.pick(INTERESTING);
        break;
      case 2: // a random byte
        if (data.length) data[at] = rng.int(0, 255);
        break;
      case 3: // small arithmetic (lengths off by a few)
        if (data.length) data[at] = (data[at] + rng.int(-4, 4)) & 0xff;
        break;
      case 4: // insert random bytes
        data.splice(at, 0, ...Array.from({ length: rng.int(1, 8) }, () => rng.int(0, 255)));
        break;
      case 5: // delete a run
        data.splice(at, rng.int(1, 8));
        break;
      case 6: // duplicate a run
        data.splice(at, 0, ...data.slice(at, at + rng.int(1, 16)));
        break;
      case 7: // truncate
        data = data.slice(0, at);
        break;
      default: // splice in an interesting run
        data.splice(at, 0, ...Array.from({ length: rng.int(1, 4) }, () => rng.pick(INTERESTING)));
    }
  }
  return new Uint8Array(data.slice(0, maxLength));
}

/** Random bytes of a random length, for the inputs that share nothing with a seed. */
export function randomInput(rng: Prng, maxLength = 300): Uint8Array {
  return Uint8Array.from({ length: rng.int(0, maxLength) }, () => rng.int(0, 255));
}

/**
 * The next input of a seeded run, as every runner draws it (run-fuzz.ts, the XS engine's loop in
 * targets/in-engine.ts, the coverage-guided loop): one in eight purely random, the rest mutations
 * of a seed - half of those the target's own structure-aware mutation when it has one. The same
 * generator state gives the same input on every engine.
 */
export function drawInput(target: FuzzTarget, seeds: readonly Uint8Array[], rng: Prng): Uint8Array {
  if (seeds.length === 0 || rng.int(0, 7) === 0) return randomInput(rng);
  const seed = rng.pick(seeds);
  if (target.mutate && rng.int(0, 1) === 0) {
    const structured = target.mutate(seed, rng);
    if (structured !== null) return structured.subarray(0, target.maxLength ?? 4096);
  }
  return mutate(seed, rng, target.maxLength);
}
