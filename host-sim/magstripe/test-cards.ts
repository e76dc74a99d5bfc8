import { luhnCheckDigit } from "../../kernel/magstripe";
import type { Prng } from "./prng";
import type { VirtualCard } from "./virtual-head";

// Made-up financial cards for the virtual head and the read-rate bench: PANs with valid check
// digits on the payment networks' prefixes and lengths, ISO/IEC 7813 tracks 1 and 2, an ISO/IEC
// 4909 track 3. Every length up to what a track holds, so the bench covers the longest tracks too.

const PREFIXES: { prefix: string; lengths: number[] }[] = [
  { prefix: "4", lengths: [13, 16, 19] },
  { prefix: "51", lengths: [16] },
  { prefix: "55", lengths: [16] },
  { prefix: "2221", lengths: [16] },
  { prefix: "34", lengths: [15] },
  { prefix: "37", lengths: [15] },
  { prefix: "6011", lengths: [16, 19] },
  { prefix: "6759", lengths: [12, 16, 19] },
];
const SERVICE_CODES = ["101", "120", "201", "221", "226", "501", "601", "702"];
const SURNAMES = ["DOE", "SMITH", "NAKAMURA", "OKONKWO", "GARCIA LOPEZ", "O'BRIEN", "MULLER", "NGUYEN"];
const GIVEN = ["JOHN", "ANA", "WEI", "CHIAMAKA", "JEAN-PIERRE", "J", "MARIA T", "LEE"];

function digits(rng: Prng, count: number): string {
  let s = "";
  for (let i = 0; i < count; i++) s += String.fromCharCode(0x30 + rng.int(0, 9));
  return s;
}

export function randomPan(rng: Prng): string {
  const { prefix, lengths } = rng.pick(PREFIXES);
  const length = rng.pick(lengths);
  const body = prefix + digits(rng, length - prefix.length - 1);
  return body + String(luhnCheckDigit(body));
}

export interface RandomCard extends VirtualCard {
  track1: string;
  track2: string;
  track3: string;
}

/** A card with all three tracks; each track's discretionary data fills a random share of the room left. */
export function randomCard(rng: Prng): RandomCard {
  const pan = randomPan(rng);
  const expiry = digits(rng, 2) + String(rng.int(1, 12)).padStart(2, "0");
  const serviceCode = rng.pick(SERVICE_CODES);
  let name = `${rng.pick(SURNAMES)}/${rng.pick(GIVEN)}`;
  if (rng.next() < 0.5) name = name.padEnd(26, " ");
  const head1 = `%B${pan}^${name}^${expiry}${serviceCode}`;
  const track1 = `${head1}${digits(rng, rng.int(0, 78 - head1.length - 1))}?`;
  const head2 = `;${pan}=${expiry}${serviceCode}`;
  const track2 = `${head2}${digits(rng, rng.int(0, 39 - head2.length - 1))}?`;
  const head3 = `;01${pan}==978`;
  let rest = "";
  const room = rng.int(20, 106 - head3.length - 1);
  while (rest.length < room) rest += rng.next() < 0.1 ? "=" : digits(rng, 1);
  const track3 = `${head3}${rest}?`;
  return { track1, track2, track3 };
}
