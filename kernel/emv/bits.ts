import { BoundsError } from "../errors";

// EMV describes its bit strings (TVR, TSI, AIP, AUC, terminal capabilities) byte by byte, bits
// numbered b8 (most significant) to b1, bytes numbered from 1 (EMV Book 3, Annex C; Book 4, Annex A).
// A bit is named once, by the spec's words, and code sets it by name.

/** One named bit: byte 1..n, bit 8..1, as the spec's tables number them. */
export interface BitDef {
  readonly byte: number;
  readonly bit: number;
  readonly name: string;
}

function mask(def: BitDef): number {
  return 1 << (def.bit - 1);
}

/** True when `def` is set in `bytes` (false when the byte is absent: data too short reads as 0). */
export function hasBit(bytes: Uint8Array, def: BitDef): boolean {
  const i = def.byte - 1;
  return i < bytes.length && (bytes[i] & mask(def)) !== 0;
}

/** A fixed-length bit string whose bits are set and tested by name. */
export class BitSet {
  private readonly value: Uint8Array;
  private readonly defs: readonly BitDef[];

  constructor(length: number, defs: readonly BitDef[], initial?: Uint8Array) {
    this.value = new Uint8Array(length);
    this.defs = defs;
    if (initial) this.load(initial);
  }

  /** Replaces the whole value (e.g. a TVR restored for the second GENERATE AC). */
  load(bytes: Uint8Array): void {
    if (bytes.length !== this.value.length) {
      throw new BoundsError(`bit set: ${bytes.length} bytes where ${this.value.length} are defined`);
    }
    this.value.set(bytes);
  }

  set(def: BitDef): void {
    this.value[this.index(def)] |= mask(def);
  }

  clear(def: BitDef): void {
    this.value[this.index(def)] &= ~mask(def) & 0xff;
  }

  has(def: BitDef): boolean {
    return (this.value[this.index(def)] & mask(def)) !== 0;
  }

  /** True when any bit set here is also set in `other` (the TVR against an action code, Book 3 10.7). */
  intersects(other: Uint8Array): boolean {
    for (let i = 0; i < this.value.length; i++) {
      if ((this.value[i] & (i < other.length ? other[i] : 0)) !== 0) return true;
    }
    return false;
  }

  /** A copy of the current value. */
  bytes(): Uint8Array {
    return this.value.slice();
  }

  /** The names of the bits that are set, in byte and bit order (for logs and test messages). */
  names(): string[] {
    const out: string[] = [];
    for (const d of this.defs) if (this.has(d)) out.push(d.name);
    return out;
  }

  private index(def: BitDef): number {
    const i = def.byte - 1;
    if (i < 0 || i >= this.value.length || def.bit < 1 || def.bit > 8) {
      throw new Error(`bit set: byte ${def.byte} bit ${def.bit} is outside ${this.value.length} bytes`);
    }
    return i;
  }
}
