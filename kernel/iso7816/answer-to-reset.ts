import type { Clock } from "../../hal/clock";
import type { ContactSlot, ResetKind } from "../../hal/contact-slot";
import { ATR_MAX_LENGTH, atrLength, parseAtr, TS_DIRECT, TS_INVERSE, type Atr } from "./atr";
import { checkEmvAtr, type ProtocolParameters } from "./atr-emv";
import { CardMuteError, CardRemovedError } from "./errors";
import { abandon } from "./line";
import { ATR_CHAR_TIMEOUT_ETU, ATR_FIRST_CHAR_MAX_CLOCKS, ATR_TOTAL_TIMEOUT_ETU } from "./timing";

// Reading the answer to reset from the line (ISO/IEC 7816-3:2006, 8.1 and 8.2; EMV Book 1, 8.2):
// TS within 42 000 clock cycles of RST, each next character within 10 080 etu, the whole ATR within
// 20 160 etu. A card silent past those limits is mute and the terminal deactivates it; an ATR that
// arrives but breaks a rule of EMV Book 1, 8.3 is "rejected" (the caller then tries a warm reset).

export type AtrOutcome =
  | { kind: "accepted"; atr: Atr; parameters: ProtocolParameters }
  | { kind: "rejected"; bytes: Uint8Array; reasons: string[] };

function hex2(b: number): string {
  return (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
}

/** Resets the card (cold or warm), reads its ATR and judges it. Throws after deactivation when mute or removed. */
export async function answerToReset(slot: ContactSlot, clock: Clock, kind: ResetKind): Promise<AtrOutcome> {
  const first = await slot.activate(kind, ATR_FIRST_CHAR_MAX_CLOCKS);
  if (first.kind === "removed") return abandon(slot, new CardRemovedError());
  if (first.kind === "mute") {
    return abandon(slot, new CardMuteError(`no answer to the ${kind} reset within ${ATR_FIRST_CHAR_MAX_CLOCKS} clock cycles`));
  }
  const bytes: number[] = [first.ts];
  if (first.ts !== TS_DIRECT && first.ts !== TS_INVERSE) {
    // EMV Book 1, 8.3.1: TS other than '3B' or '3F' is rejected.
    return { kind: "rejected", bytes: new Uint8Array(bytes), reasons: [`TS '${hex2(first.ts)}' is neither '3B' nor '3F' (EMV Book 1, 8.3.1)`] };
  }
  const startMs = clock.nowMs();
  // The whole ATR in the initial etu (Fi = 372, Di = 1), converted to milliseconds of the clock.
  const totalLimitMs = (ATR_TOTAL_TIMEOUT_ETU * 372 * 1000) / slot.clockHz;
  for (;;) {
    const need = atrLength(new Uint8Array(bytes));
    if (need.length > ATR_MAX_LENGTH) {
      return { kind: "rejected", bytes: new Uint8Array(bytes), reasons: [`the ATR announces ${need.length} characters, more than ${ATR_MAX_LENGTH} (ISO 7816-3, 8.2.1)`] };
    }
    if (need.complete && bytes.length >= need.length) break;
    const r = await slot.receive(need.length - bytes.length, ATR_CHAR_TIMEOUT_ETU);
    if (r.end === "removed") return abandon(slot, new CardRemovedError());
    if (r.end === "timeout") {
      return abandon(slot, new CardMuteError(`ATR character ${bytes.length + r.bytes.length} not within ${ATR_CHAR_TIMEOUT_ETU} etu`));
    }
    for (const b of r.bytes) bytes.push(b);
    if (r.parityErrors > 0) {
      return { kind: "rejected", bytes: new Uint8Array(bytes), reasons: ["a parity error in the ATR (ISO 7816-3, 7.3)"] };
    }
    if (clock.nowMs() - startMs > totalLimitMs) {
      return abandon(slot, new CardMuteError(`the ATR lasted longer than ${ATR_TOTAL_TIMEOUT_ETU} etu`));
    }
  }
  const raw = new Uint8Array(bytes);
  let atr: Atr;
  try {
    atr = parseAtr(raw);
  } catch (e) {
    return { kind: "rejected", bytes: raw, reasons: [e instanceof Error ? e.message : String(e)] };
  }
  const verdict = checkEmvAtr(atr, kind);
  if (!verdict.accepted || !verdict.parameters) return { kind: "rejected", bytes: raw, reasons: verdict.problems };
  return { kind: "accepted", atr, parameters: verdict.parameters };
}
