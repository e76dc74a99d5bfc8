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

/**
 * One named bit, frozen: the tables of named bits are built once when their module loads (flash on
 * the device, where XS keeps no RAM alias of a frozen object) and are shared by every transaction.
 */
export function bit(byte: number, b: number, name: string): BitDef {
  return Object.freeze({ byte, bit: b, name });
}

/** The bits of a frozen table of named bits, in the table's (byte and bit) order. */
export function bitDefs(table: Readonly<Record<string, BitDef>>): readonly BitDef[] {
  return Object.freeze(Object.keys(table).map((k) => table[k]));
}

function mask(def: BitDef): number {
  return 1 << (def.bit - 1);
}

/** True when `def` is set in `bytes` (false when the byte is absent: data too short reads as 0). */
export function hasBit(bytes: Uint8Array, def: BitDef): boolean {
  const i = def.byte - 1;
  return i < bytes.length && (bytes[i] & mask(def)) !== 0;
}

/**
 * A fixed-length bit string whose bits are set and tested by name. An instance holds only its bytes:
 * each kind (TVR, TSI) is a subclass whose prototype answers its module-level table of names.
 */
export abstract class BitSet {
  private readonly value: Uint8Array;

  /** The named bits of this kind of bit string, for `names` (one frozen table for all instances). */
  protected abstract get defs(): readonly BitDef[];

  constructor(length: number, initial?: Uint8Array) {
    this.value = new Uint8Array(length);
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
