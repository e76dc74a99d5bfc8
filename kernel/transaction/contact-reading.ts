import type { ContactSlot } from "../../hal/contact-slot";
import { performContactCardTransaction } from "../emv/contact-card-transaction";
import type { EmvOutcome } from "../emv/transaction";
import type { TransactionParams } from "../emv/context";
import { abortOutcome, type CardOutcome, type CardReadResult, type ReadingEnvironment, type ReadingPorts } from "./card-reading";
import type { PaymentOutcomeKind } from "./journal-record";

// A chip card in the contact slot: activation (EMV Book 1, chapters 6 to 9), then the EMV contact
// kernel (kernel/emv, Books 1 to 4) over a transport that stops at the state machine's checkpoint
// (both in kernel/emv/contact-card-transaction.ts).
// A chip that cannot be read (no ATR, a rejected ATR, a protocol failure before an application was
// selected) is reported apart: after enough of those, the swipe becomes an accepted fallback.

function outcomeKind(o: EmvOutcome): PaymentOutcomeKind {
  switch (o.kind) {
    case "approved":
    case "declined":
    case "online-approved":
    case "online-declined":
    case "cancelled":
    case "timeout":
      return o.kind;
    case "end-application":
      return abortOutcome(o.reason) ?? "end-application";
    case "not-accepted":
    case "card-blocked":
      return "end-application";
  }
}

function result(o: EmvOutcome, apdus: number): CardOutcome {
  const r: CardOutcome = {
    kind: "outcome", cardInterface: "contact", outcome: outcomeKind(o), cvm: o.cvm,
    tvr: o.tvr, tsi: o.tsi, language: o.language, apdus,
  };
  if (o.maskedPan) r.maskedPan = o.maskedPan;
  if (o.cid !== undefined) r.cid = o.cid;
  if (o.arc) r.arc = o.arc;
  if (o.envelope) r.envelope = o.envelope;
  if (o.pinKsn) r.pinKsn = o.pinKsn;
  if (o.kind === "not-accepted") r.reason = "not-accepted: no application both the card and the reader support (Book 1, 12.4)";
  else if (o.kind === "card-blocked") r.reason = "card-blocked: SELECT answered '6A81'";
  else if (o.reason) r.reason = o.reason;
  return r;
}

export async function readContactCard(slot: ContactSlot, env: ReadingEnvironment, params: TransactionParams, ports: ReadingPorts): Promise<CardReadResult> {
  ports.checkpoint();
  const read = await performContactCardTransaction({
    slot, clock: env.clock, terminal: env.terminal, params, beforeCommand: ports.checkpoint,
    deps: {
      crypto: env.crypto, random: env.random, cardholder: ports.cardholder, authorizer: ports.authorizer,
      protector: env.keys, pinEncryptor: env.keys, oda: env.oda,
    },
  });
  if (read.kind === "activation-failed") {
    const e = read.error;
    return { kind: "outcome", cardInterface: "contact", outcome: abortOutcome(`${e.code}:`) ?? "end-application", cvm: "none", reason: `${e.code}: ${e.message}`, apdus: 0 };
  }
  if (read.kind === "chip-unreadable") return read;
  return result(read.outcome, read.apdus);
}
