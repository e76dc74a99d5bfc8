// Timing of the contact interface in elementary time units (etu). 1 etu = Fi / (Di x f) seconds,
// f being the card clock (ISO/IEC 7816-3:2006, 7.1). The kernel counts in etu; the slot turns etu
// into real time with its own clock (hal/contact-slot.ts).

/** ISO/IEC 7816-3:2006, 8.3, table 7: Fi and fmax (Hz) by the high nibble of TA1; undefined = RFU. */
const FI_TABLE: ReadonlyArray<readonly [number, number] | undefined> = [
  [372, 4e6], [372, 5e6], [558, 6e6], [744, 8e6], [1116, 12e6], [1488, 16e6], [1860, 20e6], undefined,
  undefined, [512, 5e6], [768, 7.5e6], [1024, 10e6], [1536, 15e6], [2048, 20e6], undefined, undefined,
];

/** ISO/IEC 7816-3:2006, 8.3, table 8: Di by the low nibble of TA1; undefined = RFU. */
const DI_TABLE: ReadonlyArray<number | undefined> = [
  undefined, 1, 2, 4, 8, 16, 32, 64, 12, 20, undefined, undefined, undefined, undefined, undefined, undefined,
];

/** Fi and fmax coded by FI (high nibble of TA1), or undefined when the value is reserved. */
export function decodeFi(fi: number): { Fi: number; fmaxHz: number } | undefined {
  const entry = FI_TABLE[fi & 0x0f];
  return entry ? { Fi: entry[0], fmaxHz: entry[1] } : undefined;
}

/** Di coded by DI (low nibble of TA1), or undefined when the value is reserved. */
export function decodeDi(di: number): number | undefined {
  return DI_TABLE[di & 0x0f];
}

/** The duration of one etu in microseconds. */
export function etuMicros(Fi: number, Di: number, clockHz: number): number {
  return (Fi * 1e6) / (Di * clockHz);
}

/** The baud rate of the I/O line: f x Di / Fi (ISO/IEC 7816-3:2006, 7.1). */
export function baudRate(Fi: number, Di: number, clockHz: number): number {
  return (clockHz * Di) / Fi;
}

// --- Answer to reset (ISO/IEC 7816-3:2006, 8.1 and 8.2; EMV Book 1, 8.2) ---

/** The card answers 400 to 40 000 clock cycles after RST rises; the terminal waits up to 42 000. */
export const ATR_FIRST_CHAR_MAX_CLOCKS = 42000;
/** Initial waiting time 9600 etu between ATR characters, plus the EMV terminal's 480 etu tolerance. */
export const ATR_CHAR_TIMEOUT_ETU = 10080;
/** The whole ATR lasts at most 19 200 etu from TS, plus the EMV terminal's tolerance: 20 160 etu. */
export const ATR_TOTAL_TIMEOUT_ETU = 20160;

// --- Character frame (ISO/IEC 7816-3:2006, 7.2 and 8.3) ---

/**
 * Leading edge to leading edge of two characters the terminal sends: 12 etu + N from TC1. N = 255
 * means the minimum: 12 etu under T=0 and 11 etu under T=1 (8.3, 11.2).
 */
export function terminalCharEtu(N: number, protocol: 0 | 1): number {
  if (N === 255) return protocol === 1 ? 11 : 12;
  return 12 + N;
}

/** T=0: at least 16 etu between the leading edges of two characters in opposite directions (10.2). */
export const T0_TURNAROUND_ETU = 16;
/** T=1: block guard time BGT, 22 etu between blocks in opposite directions (11.4.3). */
export const T1_BGT_ETU = 22;

// --- T=0 waiting time (ISO/IEC 7816-3:2006, 10.2; EMV Book 1, 9.2.2) ---

/** WT = WI x 960 x Fi / f seconds = 960 x WI x Di etu; WI from TC2, 10 when absent. */
export function t0WaitingTimeEtu(wi: number, Di: number): number {
  return 960 * wi * Di;
}

/** What the EMV terminal waits before it gives up on the card: WWT + D x 480 etu. */
export function t0TimeoutEtu(wi: number, Di: number): number {
  return t0WaitingTimeEtu(wi, Di) + 480 * Di;
}

// --- T=1 waiting times (ISO/IEC 7816-3:2006, 11.4.3; EMV Book 1, 9.2.4) ---

/** CWT = (11 + 2^CWI) etu. */
export function t1CharWaitingTimeEtu(cwi: number): number {
  return 11 + Math.pow(2, cwi);
}

/** The terminal accepts a character up to CWT + 4 etu after the previous one (EMV tolerance). */
export function t1CharTimeoutEtu(cwi: number): number {
  return t1CharWaitingTimeEtu(cwi) + 4;
}

/** BWT = 11 etu + 2^BWI x 960 x 372 / f seconds, in etu of the current Fi/Di. */
export function t1BlockWaitingTimeEtu(bwi: number, Fi: number, Di: number): number {
  return 11 + Math.ceil((Math.pow(2, bwi) * 960 * 372 * Di) / Fi);
}

/**
 * The terminal waits BWT (times the WTX multiplier the card asked for, 11.6.3.1 rule 3) plus
 * D x 960 etu (EMV tolerance) for the first character of a block.
 */
export function t1BlockTimeoutEtu(bwi: number, Fi: number, Di: number, wtx = 1): number {
  return t1BlockWaitingTimeEtu(bwi, Fi, Di) * wtx + 960 * Di;
}
