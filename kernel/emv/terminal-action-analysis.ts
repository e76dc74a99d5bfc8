import type { TransactionContext } from "./context";
import { CardDataError } from "./errors";
import { hasOnlineCapability } from "./terminal-capabilities";

// EMV 4.4 Book 3, 10.7: Terminal Action Analysis. The TVR is compared with the issuer's action codes
// (from the card) and the terminal's (from its configuration): Denial first, then Online for a
// terminal that can go online, else Default. The result is the cryptogram the first GENERATE AC
// asks for.

export type AcDecision = "aac" | "tc" | "arqc";

/**
 * An Issuer Action Code from the card, or its default when absent: IAC-Denial all zeros, IAC-Online
 * and IAC-Default all ones (10.7).
 */
function issuerActionCode(ctx: TransactionContext, tag: "9F0E" | "9F0F" | "9F0D"): Uint8Array {
  const v = ctx.data.get(tag);
  if (v === undefined) return new Uint8Array(5).fill(tag === "9F0E" ? 0x00 : 0xff);
  if (v.length !== 5) throw new CardDataError(`Issuer Action Code '${tag}' is not 5 bytes`);
  return v;
}

function matches(ctx: TransactionContext, iac: Uint8Array, tac: Uint8Array): boolean {
  const combined = new Uint8Array(5);
  for (let i = 0; i < 5; i++) combined[i] = iac[i] | tac[i];
  return ctx.tvr.intersects(combined);
}

/** 10.7: denial, then online (online-capable terminals) or default (offline-only terminals). */
export function terminalActionAnalysis(ctx: TransactionContext): AcDecision {
  const app = ctx.app;
  if (!app) throw new Error("terminalActionAnalysis before application selection");
  if (matches(ctx, issuerActionCode(ctx, "9F0E"), app.config.tacDenial)) return "aac";
  if (hasOnlineCapability(ctx.config.terminalType)) {
    return matches(ctx, issuerActionCode(ctx, "9F0F"), app.config.tacOnline) ? "arqc" : "tc";
  }
  return defaultActionAnalysis(ctx);
}

/**
 * 10.7, Default codes: for an offline-only terminal, and for any terminal that could not complete
 * an online authorization ("unable to go online", 10.9): a match declines, no match approves.
 */
export function defaultActionAnalysis(ctx: TransactionContext): "aac" | "tc" {
  const app = ctx.app;
  if (!app) throw new Error("defaultActionAnalysis before application selection");
  return matches(ctx, issuerActionCode(ctx, "9F0D"), app.config.tacDefault) ? "aac" : "tc";
}
