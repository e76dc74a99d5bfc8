import type { RandomSource } from "../../hal/random";
import type { PersistentState, TransactionState } from "./card-state";
import type { IccImage } from "./personalization";

/** What the command handlers of a virtual EMV card work on. */
export interface AppletContext {
  image: IccImage;
  persistent: PersistentState;
  tx: TransactionState;
  random: RandomSource;
}

export function randomBytesFrom(random: RandomSource, n: number): Uint8Array {
  const out = new Uint8Array(n);
  random.fill(out);
  return out;
}

/** The ATC as its 2 bytes (tag 9F36). */
export function atcBytes(atc: number): Uint8Array {
  return Uint8Array.of((atc >> 8) & 0xff, atc & 0xff);
}

/** An n 12 amount (tags 9F02, 9F03: 6 bytes BCD) in minor units; -1 when not BCD. */
export function bcdAmount(bytes: Uint8Array | undefined): number {
  if (!bytes) return 0;
  let v = 0;
  for (const b of bytes) {
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || lo > 9) return -1;
    v = v * 100 + hi * 10 + lo;
  }
  return v;
}

/** Splits DOL-built data into its elements (the card knows its own DOL, Book 3, 5.4). */
export function splitDolData(entries: readonly { tag: string; length: number }[], data: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let o = 0;
  for (const e of entries) {
    out.set(e.tag, data.slice(o, o + e.length));
    o += e.length;
  }
  return out;
}
