import { BoundsError } from "../errors";
import type { Tlv } from "../tlv";
import { tagName, tagValue } from "../tlv/tag";
import { CardDataError } from "./errors";

// The transaction's data elements by tag, each kept with where it came from (EMV Book 3, Annex A:
// the source of a data element is the ICC, the terminal or the issuer). DOLs are answered from here
// (Book 3, 5.4) and the authorization request is built from here.
//
// Book 3, 10.2: a primitive data object that appears more than once in the records read is
// "redundant" and the transaction is terminated; records are added with `unique` set. Responses that
// legitimately repeat a tag (the ATC in each GENERATE AC, GET DATA then GENERATE AC) replace it.
//
// Memory (issue 10, item 5): a transaction holds 60-80 small elements. As one Uint8Array each in a
// Map they cost ~10 KB of XS slots; here the values are bytes in byte arenas and the index is one
// Uint32Array (three words an element), some 25 slots in all besides the bytes. The arenas form a
// chain, each twice the size of the one before, and a value never moves once written: the view `get`
// returns stays valid until its own element changes. (One buffer copied into a larger one as it grows
// would have its old copy zeroized, and every view a caller holds, such as the CDOL while '98' is
// set in generate-ac.ts, would read zeroes.) A replaced value is zeroized: a value no longer is
// written over it in place, a longer one leaves a zeroized hole. `clear` zeroizes every arena.

export type DataSource = "card" | "terminal" | "issuer";

/** The sources, numbered as the index stores them. */
const SOURCES: readonly DataSource[] = Object.freeze(["card", "terminal", "issuer"] as const);

/** Templates whose content is stored object by object instead of as one value. */
const DESCEND = new Set(["70", "77", "6F", "A5", "BF0C", "61"]);

// The index: ELEMENT_WORDS words an element, in the order the elements were first stored.
const TAG = 0; // the tag's big-endian value (kernel/tlv/tag.ts, tagValue)
const PLACE = 1; // arena * PLACE_ARENA + offset: which arena holds the value and where it starts
const META = 2; // length << LENGTH_SHIFT | flags
const ELEMENT_WORDS = 3;
/** Offsets are below MAX_STORE_BYTES, so below this. */
const PLACE_ARENA = 0x10000;
const LENGTH_SHIFT = 4;
/** The element has a value (an absent one is kept only to remember it came from a record). */
const PRESENT = 1;
/** The tag was read from a record: seeing it in another record is redundant data (Book 3, 10.2). */
const FROM_RECORDS = 2;
/** The source's number (SOURCES) is in bits 2-3. */
const SOURCE_SHIFT = 2;

// A contact or contactless transaction of the simulator's cards stores 60-75 elements, 650-850 bytes.
const FIRST_ARENA_BYTES = 1024;
const FIRST_INDEX_ELEMENTS = 96;
/**
 * What one transaction may store. A card's records are bounded only by its AFL (up to 63 entries of
 * up to 255 records each): a hostile card must meet a limit, not exhaust the RAM. An EMV card of the
 * field holds a few kilobytes and under 100 data elements.
 */
export const MAX_STORE_BYTES = 32 * 1024;
export const MAX_STORE_ELEMENTS = 512;

/** The store is full: too much card data is the card's error, too much of the others' a full buffer. */
function full(source: DataSource, message: string): Error {
  return source === "card" ? new CardDataError(message) : new BoundsError(message);
}

export class EmvDataStore {
  private arenas: Uint8Array[] = [new Uint8Array(FIRST_ARENA_BYTES)];
  /** Bytes used in the last arena (the earlier ones take no more values). */
  private used = 0;
  /** The bytes of all arenas together. */
  private capacity = FIRST_ARENA_BYTES;
  private index = new Uint32Array(FIRST_INDEX_ELEMENTS * ELEMENT_WORDS);
  private count = 0;

  /**
   * The value of `tag`: a view into the store, valid until this element is replaced or deleted or
   * the store is cleared (`clearCard`, `clear`), which zeroize it. A caller that keeps a value beyond
   * that copies it.
   */
  get(tag: string): Uint8Array | undefined {
    const i = this.present(tagValue(tag));
    return i < 0 ? undefined : this.view(i);
  }

  has(tag: string): boolean {
    return this.present(tagValue(tag)) >= 0;
  }

  source(tag: string): DataSource | undefined {
    const i = this.present(tagValue(tag));
    return i < 0 ? undefined : SOURCES[(this.index[i + META] >>> SOURCE_SHIFT) & 3];
  }

  /** Sets a terminal or issuer data element (a copy is kept). */
  set(tag: string, value: Uint8Array, source: DataSource = "terminal"): void {
    this.put(tagValue(tag), value, source, 0);
  }

  delete(tag: string): void {
    const i = this.present(tagValue(tag));
    if (i < 0) return;
    const key = this.index[i + TAG];
    const meta = this.index[i + META];
    this.wipe(i);
    this.remove(i);
    // The redundancy rule still knows the tag was read from a record (clearCard forgets that).
    if ((meta & FROM_RECORDS) !== 0) this.index[this.append(key, "card") + META] = FROM_RECORDS;
  }

  /**
   * Adds the primitive objects in `objects` (descending into the EMV templates) as card data. With
   * `unique`, a tag already read from a record is redundant data (Book 3, 10.2): CardDataError.
   */
  addCard(objects: readonly Tlv[], unique: boolean, what: string): void {
    for (const o of objects) {
      if (o.children !== undefined && DESCEND.has(o.tag)) {
        this.addCard(o.children, unique, what);
        continue;
      }
      const key = tagValue(o.tag);
      if (unique) {
        const i = this.find(key);
        if (i >= 0 && (this.index[i + META] & FROM_RECORDS) !== 0) {
          throw new CardDataError(`${what}: redundant data object ${o.tag} (Book 3, 10.2)`);
        }
      }
      this.put(key, o.value, "card", unique ? FROM_RECORDS : 0);
    }
  }

  /**
   * Forgets the card's data (zeroized), keeping the terminal's: the terminal returns to application
   * selection for another application (Book 3, 10.1). The redundancy rule starts again.
   */
  clearCard(): void {
    const terminal = SOURCES.indexOf("terminal");
    let kept = 0;
    for (let i = 0; i < this.count * ELEMENT_WORDS; i += ELEMENT_WORDS) {
      const meta = this.index[i + META];
      if ((meta & PRESENT) === 0 || ((meta >>> SOURCE_SHIFT) & 3) !== terminal) {
        this.wipe(i);
        continue;
      }
      this.index.copyWithin(kept, i, i + ELEMENT_WORDS);
      this.index[kept + META] = meta & ~FROM_RECORDS;
      kept += ELEMENT_WORDS;
    }
    this.index.fill(0, kept, this.count * ELEMENT_WORDS);
    this.count = kept / ELEMENT_WORDS;
  }

  /** Every tag present, in the order first stored (for tests and the authorization request). */
  tags(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count * ELEMENT_WORDS; i += ELEMENT_WORDS) {
      if ((this.index[i + META] & PRESENT) !== 0) out.push(tagName(this.index[i + TAG]));
    }
    return out;
  }

  /** Zeroizes every value (card data includes the PAN and track 2 equivalent data). */
  clear(): void {
    for (const arena of this.arenas) arena.fill(0);
    this.arenas.length = 1;
    this.used = 0;
    this.capacity = this.arenas[0].length;
    this.index.fill(0);
    this.count = 0;
  }

  /** Stores a copy of `value` as `key`'s, zeroizing the value it replaces. */
  private put(key: number, value: Uint8Array, source: DataSource, flags: number): void {
    let i = this.find(key);
    if (i >= 0) {
      flags |= this.index[i + META] & FROM_RECORDS;
      if ((this.index[i + META] & PRESENT) !== 0 && value.length <= this.length(i)) {
        // Written over the old value in place; the rest of the old value is zeroized.
        const old = this.view(i);
        old.set(value);
        old.fill(0, value.length);
        this.index[i + META] = this.meta(value.length, source, flags);
        return;
      }
      this.wipe(i);
    } else {
      i = this.append(key, source);
    }
    const arena = this.reserve(value.length, source);
    this.arenas[arena].set(value, this.used - value.length);
    this.index[i + PLACE] = arena * PLACE_ARENA + this.used - value.length;
    this.index[i + META] = this.meta(value.length, source, flags);
  }

  /** An element's META word; `length` is below MAX_STORE_BYTES (reserve has checked it). */
  private meta(length: number, source: DataSource, flags: number): number {
    const n = SOURCES.indexOf(source);
    if (n < 0) throw new Error(`data store: unknown source ${String(source)}`);
    return (length << LENGTH_SHIFT) | (n << SOURCE_SHIFT) | flags | PRESENT;
  }

  private length(i: number): number {
    return this.index[i + META] >>> LENGTH_SHIFT;
  }

  /** The index position of `key`'s element, present or not; -1 when there is none. */
  private find(key: number): number {
    for (let i = 0; i < this.count * ELEMENT_WORDS; i += ELEMENT_WORDS) {
      if (this.index[i + TAG] === key) return i;
    }
    return -1;
  }

  /** The index position of `key`'s element when it has a value, else -1. */
  private present(key: number): number {
    const i = this.find(key);
    return i >= 0 && (this.index[i + META] & PRESENT) !== 0 ? i : -1;
  }

  /** The value of the element at index position `i`, in its arena. */
  private view(i: number): Uint8Array {
    const place = this.index[i + PLACE];
    const offset = place % PLACE_ARENA;
    return this.arenas[(place - offset) / PLACE_ARENA].subarray(offset, offset + this.length(i));
  }

  /** Zeroizes the value of the element at index position `i`. */
  private wipe(i: number): void {
    this.view(i).fill(0);
  }

  /** A new element for `key` at the end of the index (no value yet); its index position. */
  private append(key: number, source: DataSource): number {
    if (this.count === MAX_STORE_ELEMENTS) throw full(source, `data store: more than ${MAX_STORE_ELEMENTS} data elements`);
    if ((this.count + 1) * ELEMENT_WORDS > this.index.length) {
      const grown = new Uint32Array(this.index.length * 2);
      grown.set(this.index);
      this.index = grown;
    }
    const i = this.count * ELEMENT_WORDS;
    this.index.fill(0, i, i + ELEMENT_WORDS);
    this.index[i + TAG] = key;
    this.count++;
    return i;
  }

  /** Removes the element at index position `i`, keeping the others in order. */
  private remove(i: number): void {
    const end = this.count * ELEMENT_WORDS;
    this.index.copyWithin(i, i + ELEMENT_WORDS, end);
    this.count--;
    this.index.fill(0, end - ELEMENT_WORDS, end);
  }

  /**
   * Room for `length` bytes at the end of the last arena, chaining a new arena twice its size (or the
   * value's) when it is full; the arena's number. The store is bounded (MAX_STORE_BYTES).
   */
  private reserve(length: number, source: DataSource): number {
    const last = this.arenas.length - 1;
    if (this.arenas[last].length - this.used >= length) {
      this.used += length;
      return last;
    }
    const size = Math.max(2 * this.arenas[last].length, length);
    if (this.capacity + size > MAX_STORE_BYTES) {
      throw full(source, `data store: ${length} more bytes exceed the ${MAX_STORE_BYTES} bytes of one transaction`);
    }
    this.arenas.push(new Uint8Array(size));
    this.capacity += size;
    this.used = length;
    return last + 1;
  }
}
