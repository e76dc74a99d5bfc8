// The contact interface, level 1, as services: the same on Node and on the XS engine. The CLI
// (`mpos decode atr`) calls decodeAtrHex, so the service answers exactly what the command prints
// with --json; `iso7816.exchange` runs the kernel's T=0 / T=1 engines against the virtual ICC.
import { fromHex, toHex } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import { parseAtr } from "../../../kernel/iso7816/atr";
import { checkEmvAtr } from "../../../kernel/iso7816/atr-emv";
import type { IccFault } from "../../icc/faults";
import { runContactExchange, type ContactExchangeReport } from "../../icc/exchange";

export interface DecodeAtrRequest {
  /** The ATR, hex, TS first, characters as decoded in their convention. */
  hex: string;
  /** Judge it as the answer to a cold (default) or a warm reset (EMV Book 1, 8.3.3.2). */
  reset?: "cold" | "warm";
}

export interface AtrDescription {
  convention: "direct" | "inverse";
  protocols: number[];
  Fi: number;
  Di: number;
  N: number;
  ifsc: number | null;
  bwi: number | null;
  cwi: number | null;
  historical: string;
  tck: string | null;
  tckValid: boolean | null;
  /** Whether an EMV terminal accepts it after this reset (EMV Book 1, 8.3). */
  emv: boolean;
  problems: string[];
}

/** `{ atr: {...} }`: the ATR's fields, ISO 7816-3 problems and the EMV verdict. */
export function decodeAtrHex(request: DecodeAtrRequest): { atr: AtrDescription } {
  if (request === null || typeof request !== "object" || typeof request.hex !== "string") {
    throw new InputError("atr-request", "iso7816.decodeAtr: expected { hex: string }");
  }
  const reset = request.reset ?? "cold";
  if (reset !== "cold" && reset !== "warm") throw new InputError("atr-request", "iso7816.decodeAtr: reset is cold or warm");
  let bytes: Uint8Array;
  try {
    bytes = fromHex(request.hex);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.code, `atr: ${e.message}`);
    throw e;
  }
  const atr = parseAtr(bytes);
  const verdict = checkEmvAtr(atr, reset);
  const isoTck = atr.problems.some((p) => p.startsWith("TCK"));
  const problems = [...atr.problems, ...verdict.problems.filter((p) => !(isoTck && p.startsWith("TCK")))];
  return {
    atr: {
      convention: atr.convention,
      protocols: atr.protocols,
      Fi: atr.Fi,
      Di: atr.Di,
      N: atr.N,
      ifsc: atr.t1 ? atr.t1.ifsc : null,
      bwi: atr.t1 ? atr.t1.bwi : null,
      cwi: atr.t1 ? atr.t1.cwi : null,
      historical: toHex(atr.historical),
      tck: atr.tck === null ? null : toHex(new Uint8Array([atr.tck])),
      tckValid: atr.tckValid,
      emv: verdict.accepted,
      problems,
    },
  };
}

export interface ExchangeRequest {
  protocol: 0 | 1;
  apdus: string[];
  atr?: string;
  warmAtr?: string;
  faults?: IccFault[];
  processingUs?: number;
  clockHz?: number;
}

/** Activates a virtual ICC through the kernel's level 1, exchanges the APDUs, reports responses and line time. */
export function exchangeHex(request: ExchangeRequest): Promise<ContactExchangeReport> {
  if (request === null || typeof request !== "object" || (request.protocol !== 0 && request.protocol !== 1) ||
      !Array.isArray(request.apdus) || !request.apdus.every((a) => typeof a === "string")) {
    throw new InputError("exchange-request", "iso7816.exchange: expected { protocol: 0 | 1, apdus: [hex, ...] }");
  }
  return runContactExchange({
    protocol: request.protocol,
    apdus: request.apdus,
    atr: request.atr,
    warmAtr: request.warmAtr,
    faults: request.faults,
    processingUs: request.processingUs,
    clockHz: request.clockHz,
  });
}

export const iso7816Services: Record<string, (args: any) => unknown> = {
  "iso7816.decodeAtr": (args: DecodeAtrRequest) => decodeAtrHex(args),
  "iso7816.exchange": (args: ExchangeRequest) => exchangeHex(args),
};
