import { constantTimeEqual } from "../bytes";
import type { Secret } from "../security/secret";

// The reader's list of bonded phones (docs/protocol.md, "Pairing"). On the device it lives in
// secure storage; the kernel sees it through this interface. A bond key is a Secret: it never
// serializes itself and is zeroized when the bond is removed.

export interface Bond {
  phoneId: Uint8Array;
  phoneName: string;
  key: Secret;
}

export interface BondStore {
  find(phoneId: Uint8Array): Promise<Bond | undefined>;
  /** Adds or replaces the bond of `bond.phoneId`; may evict the oldest bond when full. */
  save(bond: Bond): Promise<void>;
  /** True when a bond was removed. */
  remove(phoneId: Uint8Array): Promise<boolean>;
  list(): Promise<{ phoneId: Uint8Array; phoneName: string }[]>;
}

/** How many phones a reader remembers. */
export const MAX_BONDS = 8;

/** Bonds in memory (the simulator, tests); the oldest is evicted beyond `capacity`. */
export class MemoryBondStore implements BondStore {
  private readonly bonds: Bond[] = [];
  constructor(private readonly capacity = MAX_BONDS) {}

  async find(phoneId: Uint8Array): Promise<Bond | undefined> {
    return this.bonds.find((b) => constantTimeEqual(b.phoneId, phoneId));
  }

  async save(bond: Bond): Promise<void> {
    await this.remove(bond.phoneId);
    this.bonds.push({ phoneId: bond.phoneId.slice(), phoneName: bond.phoneName, key: bond.key });
    while (this.bonds.length > this.capacity) this.bonds.shift()?.key.zeroize();
  }

  async remove(phoneId: Uint8Array): Promise<boolean> {
    const i = this.bonds.findIndex((b) => constantTimeEqual(b.phoneId, phoneId));
    if (i < 0) return false;
    this.bonds[i].key.zeroize();
    this.bonds.splice(i, 1);
    return true;
  }

  async list(): Promise<{ phoneId: Uint8Array; phoneName: string }[]> {
    return this.bonds.map((b) => ({ phoneId: b.phoneId.slice(), phoneName: b.phoneName }));
  }
}

