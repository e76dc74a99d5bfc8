// Faults the virtual ICC can inject, each a plain JSON-able object so tests, the CLI and the XS
// services can pass them around. `apdu` counts the command APDUs the card has started since its
// last reset, from 1 (0 = before the first APDU: the T=1 S(IFS) exchange); absent = every APDU.
// Character indexes count from 0 within that APDU, in one direction.

export type IccFault =
  /** The card never answers: at reset (no `apdu`) or from the given APDU on. */
  | { kind: "mute"; apdu?: number }
  /** The card leaves the slot after `afterChars` characters of the APDU crossed the line (both directions). */
  | { kind: "remove"; apdu: number; afterChars: number }
  /**
   * Parity errors (ISO/IEC 7816-3:2006, 7.3) on character `char` of the APDU, `times` transmissions
   * in a row: "to-terminal" on what the card sends, "to-card" on what the terminal sends. Under T=0
   * the character is repeated; under T=1 the block is invalid.
   */
  | { kind: "parity"; direction: "to-terminal" | "to-card"; apdu?: number; char: number; times: number }
  /**
   * T=1: the card's block number `block` of the APDU (from 0; "all" for every block) goes out with
   * a wrong LRC `times` times.
   */
  | { kind: "edc"; apdu?: number; block?: number | "all"; times: number }
  /** T=0: `count` NULL bytes ('60') before each procedure byte, `gapEtu` apart (default 12). */
  | { kind: "null-storm"; apdu?: number; count: number; gapEtu?: number }
  /** T=1: `count` S(WTX request) with `multiplier` (default 1) before the card's answer. */
  | { kind: "wtx-storm"; apdu?: number; count: number; multiplier?: number }
  /** T=1: the card asks for IFSC `ifsc` with S(IFS request) before its answer. */
  | { kind: "ifs-request"; apdu?: number; ifsc: number }
  /**
   * A slow card: each character it sends starts exactly at its time limit plus `marginEtu` (T=0: WWT
   * from the previous character; T=1: BWT (x WTX) for the first character of a block, CWT for the
   * others). Negative margins stay inside ISO 7816-3; small positive ones inside the EMV tolerance.
   */
  | { kind: "slow"; apdu?: number; marginEtu: number; what?: "block" | "char" | "both" }
  /** T=0: the card answers the header with this byte instead of a procedure byte. */
  | { kind: "bad-procedure"; apdu?: number; byte: number }
  /** ATR characters `gapEtu` apart instead of 12 (ISO/IEC 7816-3:2006, 8.1: at most 9600). */
  | { kind: "atr-gap"; gapEtu: number };

export function appliesTo(fault: { apdu?: number }, apdu: number): boolean {
  return fault.apdu === undefined || fault.apdu === apdu;
}

/** The faults of one kind that apply to `apdu`. */
export function faultsOf<K extends IccFault["kind"]>(
  faults: readonly IccFault[],
  kind: K,
  apdu: number,
): Extract<IccFault, { kind: K }>[] {
  return faults.filter((f) => f.kind === kind && appliesTo(f as { apdu?: number }, apdu)) as Extract<IccFault, { kind: K }>[];
}
