import { DEFAULT_BLE_LINK } from "../../kernel/firmware-update/transfer-model";
import type { BenchResult } from "./bench-result";

// The product goal of every bench figure whose case does not state one, each derived beside it from
// a budget the product has to meet. runBench gives every result its goal from here; a figure that
// matches none is reported by figuresWithoutGoal, and the bench's tests fail on it (issue 12, item 5:
// "the bench report shows every figure against its goal").
//
// The budgets:
// - TAP_BUDGET_MS: a contactless transaction completes within 500 ms of the card entering the field
//   (EMV Contactless Book A, the performance the payment systems require of a reader: Visa's and
//   Mastercard's 500 ms tap). The reader's own computing must fit in it beside the air time and
//   the card's.
// - ESP32_XS_UNITS_PER_MS: how much XS work an ESP32 does in a millisecond. The XS meter counts
//   the same units on every machine; this laptop's xsnap runs about 160,000 units a ms (bench:
//   AES 1 KB, 267,906 units in 1.6 ms), and an ESP32 at 240 MHz (an in-order core, code in flash
//   behind a cache) runs an interpreter about 40 times slower: 4,000 units a ms. An assumption, to
//   be measured on the device; every goal below in XS units scales with it.
// - BLE_LINK_BUDGET_MS: the phone-reader traffic of one payment keeps the link busy no longer than
//   a tap, 500 ms, on the smallest link every phone offers (ATT_MTU 23: 20 bytes a frame) at the
//   connection interval and packets per event of DEFAULT_BLE_LINK (kernel/firmware-update).

export const TAP_BUDGET_MS = 500;
export const ESP32_XS_UNITS_PER_MS = 4000;
export const BLE_LINK_BUDGET_MS = 500;

/** XS units of `ms` on the ESP32. */
const units = (ms: number): number => ms * ESP32_XS_UNITS_PER_MS;
const n = (x: number): string => x.toLocaleString("en-US");
/** A goal in XS compute: the figure's compute column is held to it. */
const compute = (ms: number, why: string): string => `XS compute ${n(units(ms))} units or fewer (${ms} ms on the ESP32 at ${n(ESP32_XS_UNITS_PER_MS)} units/ms): ${why}`;

/** GATT frames the link carries in the budget: connection events in it, times packets per event. */
const BLE_FRAMES = Math.floor(BLE_LINK_BUDGET_MS / DEFAULT_BLE_LINK.connectionIntervalMs) * DEFAULT_BLE_LINK.maxPacketsPerEvent;
/** Bytes those frames carry at ATT_MTU 23 (ATT_MTU - 3 a frame, Bluetooth Core 5.3, Vol 3, Part F, 3.4.7.1). */
const BLE_BYTES = BLE_FRAMES * 20;
/** Round trips in the budget: each costs at least two connection events (the write, then the notification). */
const BLE_ROUND_TRIPS = Math.floor(BLE_LINK_BUDGET_MS / (2 * DEFAULT_BLE_LINK.connectionIntervalMs));
/** The phone SDK's request timeout (client/reader-client.ts): a request the reader takes longer on fails. */
const PHONE_REQUEST_TIMEOUT_MS = 30_000;

interface GoalRule {
  /** The figure's name (and unit, for figures that share a name). */
  match: RegExp;
  unit?: RegExp;
  engine?: BenchResult["engine"];
  goal: string;
}

export const GOALS: readonly GoalRule[] = [
  // A tap decodes about 3 KB of card data (FCIs, GPO, records): 3 records' decoding in 15 ms.
  { match: /^tlv decode 1 KB/, engine: "xs", goal: compute(5, "a tap decodes about 3 KB of card data, 15 ms of the tap budget") },
  // A payment encrypts or hashes at most about 1 KB (the P2PE envelope, the PIN block, the ODA
  // hashes): a fifth of the tap budget, the kernel and RSA take the rest. On the device these run
  // in C: firmware/device.ts hands the firmware the native provider (hal/esp32/crypto-provider.ts,
  // Moddable's crypt module), whose cost the XS meter does not count; the XS figure held to this
  // goal is the simulator's software path (kernel/crypto/software.ts), the fallback of every other
  // engine and what a device build without crypt would pay.
  {
    match: /^(aes-128|tdes) cbc encrypt 1 KB|^sha-(1|256) 1 KB/,
    goal: compute(100, "the P2PE envelope, PIN block and ODA hashes of one payment (about 1 KB) in a fifth of the 500 ms tap budget"),
  },
  // The reader's DUKPT work per transaction (next KSN, working keys, PIN block, envelope): the same fifth.
  { match: /^dukpt (aes|tdes) device transaction/, goal: compute(100, "one transaction's DUKPT work in a fifth of the 500 ms tap budget") },
  // The host's derivation runs in the engine in the simulator's HSM, once per transaction: held to the reader's own budget.
  { match: /^dukpt tdes host derivation/, engine: "xs", goal: compute(100, "the simulator's in-engine HSM derives once per transaction, held to the reader's DUKPT budget") },
  // The cardholder sees a swipe accepted as fast as a tap.
  { match: /^magstripe decode one three-track swipe/, goal: compute(TAP_BUDGET_MS, "the swipe is accepted within the half second a tap gets") },
  // Contact: the card must be done within 3 s of insertion (PIN entry and the online authorisation
  // follow); a transaction sends about 15 APDUs: 200 ms each on average at 9600 baud.
  { match: /^iso7816 T=[01] APDU exchange/, goal: "at most 200 ms modeled on the line per APDU: 15 APDUs within the 3 s a card may take" },
  { match: /^contact .*transaction/, goal: "at most 3000 modeled ms on the line: the card is done within 3 s of insertion" },
  // Contactless: every tap within the 500 ms budget (the fDDA tap has its own, tighter 250 ms goal).
  { match: /^contactless /, goal: `card in the field ${TAP_BUDGET_MS} ms or less (modeled): the tap budget of EMV Book A and the payment systems` },
  // BLE per payment, on the 23-byte-MTU link within the link budget.
  { match: /^ble payment at ATT_MTU/, unit: /^GATT frames/, goal: `at most ${BLE_FRAMES} GATT frames: what the link carries in ${BLE_LINK_BUDGET_MS} ms` },
  { match: /^ble payment at ATT_MTU/, unit: /^bytes/, goal: `at most ${BLE_BYTES} bytes: ${BLE_FRAMES} frames of 20 bytes, the ATT_MTU 23 link in ${BLE_LINK_BUDGET_MS} ms` },
  { match: /^ble payment at ATT_MTU/, unit: /^round trips/, goal: `at most ${BLE_ROUND_TRIPS} round trips: two connection events each, ${BLE_LINK_BUDGET_MS} ms` },
  // A 3-byte header in a 20-byte frame is 15 %; the first frame's 5 bytes and the credit frames add the rest.
  { match: /^ble framing overhead at ATT_MTU 23$/, goal: "at most 25 %: a 3-byte header in a 20-byte frame is 15 % alone" },
  { match: /^ble framing overhead at ATT_MTU 247$/, goal: "at most 10 %: a 3-byte header in a 244-byte frame is 1.2 %, credit frames the rest" },
  { match: /^ble connect and pair at ATT_MTU/, goal: `at most ${BLE_FRAMES} GATT frames: once per phone, within a payment's link budget` },
  {
    match: /^ble connect, pair and pay/, engine: "xs",
    goal: compute(PHONE_REQUEST_TIMEOUT_MS, "pairing and a payment answered inside the phone SDK's 30 s request timeout (pure-JS P-256 here, native on the device)"),
  },
  // The reader's RAM (firmware/, 64 KB of heap): the idle reader and a payment's own share of it.
  { match: /^firmware on XS: .*own RAM above the idle reader/, goal: "at most 40960 bytes: the 64 KB budget less the idle reader's 24 KB" },
  { match: /^firmware on XS: the (idle|paired) reader/, goal: "at most 24576 bytes: the 64 KB budget less a payment's 40 KB" },
  // The preloaded module bodies live in flash beside the code: 1 MB of the ESP32's app partition.
  { match: /^firmware on XS: flash/, goal: "at most 1048576 bytes: 1 MB of the app partition's flash" },
];

/** A goal that says there is none is none. */
const hasGoal = (r: BenchResult): boolean => r.goal !== undefined && r.goal.trim() !== "" && !/\bno goal\b/.test(r.goal);

/** The goal of `r` from the table, or undefined. */
export function goalFor(r: BenchResult): string | undefined {
  const rule = GOALS.find((g) => g.match.test(r.name) && (g.engine === undefined || g.engine === r.engine) &&
    (g.unit === undefined || g.unit.test(r.unit ?? "")));
  return rule?.goal;
}

/** Every result with its goal: the case's own, else the table's. */
export function withGoals(results: readonly BenchResult[]): BenchResult[] {
  return results.map((r) => {
    if (hasGoal(r)) return r;
    const goal = goalFor(r);
    return goal === undefined ? r : { ...r, goal };
  });
}

/** The names (and engines) of figures that carry no goal. */
export function figuresWithoutGoal(results: readonly BenchResult[]): string[] {
  return results.filter((r) => !hasGoal(r)).map((r) => `${r.name} (${r.engine}${r.unit ? `, ${r.unit}` : ""})`);
}
