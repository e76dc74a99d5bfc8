import { zeroize } from "../bytes";
import type { Tlv } from "../tlv";
import { CardDataError } from "./errors";

// The transaction's data elements by tag, each kept with where it came from (EMV Book 3, Annex A:
// the source of a data element is the ICC, the terminal or the issuer). DOLs are answered from here
// (Book 3, 5.4) and the authorization request is built from here.
//
// Book 3, 10.2: a primitive data object that appears more than once in the records read is
// "redundant" and the transaction is terminated; records are added with `unique` set. Responses that
// legitimately repeat a tag (the ATC in each GENERATE AC, GET DATA then GENERATE AC) replace it.

export type DataSource = "card" | "terminal" | "issuer";

/** Templates whose content is stored object by object instead of as one value. */
const DESCEND = new Set(["70", "77", "6F", "A5", "BF0C", "61"]);

export class EmvDataStore {
  private readonly values = new Map<string, Uint8Array>();
  /**
   * The source of each terminal or issuer data element; a tag not here came from the card. Most
   * elements are the card's: keeping no record object per element saves the RAM of one object
   * each on XS (issue 10, item 5).
   */
  private readonly notCard = new Map<string, DataSource>();
  /** Tags that came from records (for the redundancy rule). */
  private readonly fromRecords = new Set<string>();

  get(tag: string): Uint8Array | undefined {
    return this.values.get(tag);
  }

  has(tag: string): boolean {
    return this.values.has(tag);
  }

  source(tag: string): DataSource | undefined {
    if (!this.values.has(tag)) return undefined;
    return this.notCard.get(tag) ?? "card";
  }

  /** Sets a terminal or issuer data element (a copy is kept). */
  set(tag: string, value: Uint8Array, source: DataSource = "terminal"): void {
    this.put(tag, value.slice(), source);
  }

  delete(tag: string): void {
    const value = this.values.get(tag);
    if (value) zeroize(value);
    this.values.delete(tag);
    this.notCard.delete(tag);
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
      if (unique) {
        if (this.fromRecords.has(o.tag)) throw new CardDataError(`${what}: redundant data object ${o.tag} (Book 3, 10.2)`);
        this.fromRecords.add(o.tag);
      }
      this.put(o.tag, o.value.slice(), "card");
    }
  }

  private put(tag: string, value: Uint8Array, source: DataSource): void {
    this.values.set(tag, value);
    if (source === "card") this.notCard.delete(tag);
    else this.notCard.set(tag, source);
  }

  /**
   * Forgets the card's data (zeroized), keeping the terminal's: the terminal returns to application
   * selection for another application (Book 3, 10.1).
   */
  clearCard(): void {
    for (const tag of Array.from(this.values.keys())) {
      if (this.notCard.get(tag) !== "terminal") this.delete(tag);
    }
    this.fromRecords.clear();
  }

  /** Every tag present, for tests and the authorization request. */
  tags(): string[] {
    return Array.from(this.values.keys());
  }

  /** Zeroizes every value (card data includes the PAN and track 2 equivalent data). */
  clear(): void {
    for (const value of this.values.values()) zeroize(value);
    this.values.clear();
    this.notCard.clear();
    this.fromRecords.clear();
  }
}
