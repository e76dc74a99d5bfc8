// The mix of a soak: what cardholders do at a reader over a day, as kinds of transaction with the
// steps each takes (times in modeled ms from the start of the payment). Cards are the simulator's
// (host-sim/cards, host-sim/picc); the test card PIN is 1234. The mix cycles through the kinds in
// a fixed order weighted by `weight`, so a run of N transactions is the same on every engine.

export type SoakStep =
  | { at: number; do: "insert" | "swipe" | "tap"; card: string }
  | { at: number; do: "remove" | "cancel" }
  | { at: number; do: "keys"; keys: string };

export interface SoakKind {
  name: string;
  weight: number;
  steps: SoakStep[];
  /** Amount in minor units (below or above the cards' offline limits). */
  amount: number;
}

export const SOAK_MIX: readonly SoakKind[] = [
  // Contact: CDA with online PIN, online approval with ARPC.
  { name: "contact online-pin", weight: 3, amount: 1234, steps: [{ at: 50, do: "insert", card: "visa-cda" }, { at: 3000, do: "keys", keys: "1234E" }, { at: 20000, do: "remove" }] },
  // Contact: SDA, signature.
  { name: "contact signature", weight: 1, amount: 2500, steps: [{ at: 50, do: "insert", card: "visa-sda" }, { at: 20000, do: "remove" }] },
  // Contact: offline enciphered PIN, offline approval.
  { name: "contact offline-pin", weight: 2, amount: 4000, steps: [{ at: 50, do: "insert", card: "mc-cda-offline-pin" }, { at: 3000, do: "keys", keys: "1234E" }, { at: 20000, do: "remove" }] },
  // Contact: an expired card, declined offline.
  { name: "contact declined", weight: 1, amount: 1500, steps: [{ at: 50, do: "insert", card: "expired" }, { at: 3000, do: "keys", keys: "1234E" }, { at: 20000, do: "remove" }] },
  // Contact: the phone cancels during PIN entry.
  { name: "contact cancelled", weight: 1, amount: 990, steps: [{ at: 50, do: "insert", card: "visa-cda" }, { at: 2500, do: "cancel" }, { at: 5000, do: "remove" }] },
  // Contactless: qVSDC card, offline approval under the limit.
  { name: "contactless card", weight: 3, amount: 1200, steps: [{ at: 500, do: "tap", card: "visa-cda" }, { at: 3000, do: "remove" }] },
  // Contactless: a phone wallet, online with CDCVM.
  { name: "contactless wallet", weight: 2, amount: 8800, steps: [{ at: 500, do: "tap", card: "visa-wallet" }, { at: 3000, do: "remove" }] },
  // Contactless: Mastercard kernel 2.
  { name: "contactless mastercard", weight: 1, amount: 3000, steps: [{ at: 500, do: "tap", card: "mc-cda-offline-pin" }, { at: 3000, do: "remove" }] },
  // Magnetic stripe: a stripe-only card, online, signature.
  { name: "magstripe", weight: 2, amount: 2000, steps: [{ at: 50, do: "swipe", card: "magstripe-only" }] },
  // Magnetic stripe: a chip card swiped, told to use the chip, nothing more comes: timeout.
  { name: "magstripe chip-card", weight: 1, amount: 700, steps: [{ at: 50, do: "swipe", card: "chip-magstripe-201" }] },
];

/** The kinds in run order: each kind `weight` times a cycle, interleaved (any weighted mix: this one, the firmware's). */
export function soakSchedule<K extends { weight: number } = SoakKind>(mix: readonly K[] = SOAK_MIX as unknown as readonly K[]): K[] {
  const out: K[] = [];
  const max = Math.max(...mix.map((k) => k.weight));
  for (let round = 0; round < max; round++) for (const k of mix) if (k.weight > round) out.push(k);
  return out;
}

/** The kind of the n-th transaction of a soak (from 0). */
export function soakKind<K>(n: number, schedule: readonly K[]): K {
  return schedule[n % schedule.length];
}
