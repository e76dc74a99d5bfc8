import type { ContactSlot } from "../../hal/contact-slot";
import { performTransaction, type EmvOutcome } from "../emv/transaction";
import type { TransactionParams } from "../emv/context";
import { MposError } from "../errors";
import type { ApduTransport } from "../iso7816/apdu";
import { openContactCard, type ContactCard } from "../iso7816/session";
import { abortOutcome, reasonCode, type CardOutcome, type CardReadResult, type ReadingEnvironment, type ReadingPorts } from "./card-reading";
import type { PaymentOutcomeKind } from "./journal-record";

// A chip card in the contact slot: activation (EMV Book 1, chapters 6 to 9), then the EMV contact
// kernel (kernel/emv, Books 1 to 4) over a transport that stops at the state machine's checkpoint.
// A chip that cannot be read (no ATR, a rejected ATR, a protocol failure before an application was
// selected) is reported apart: after enough of those, the swipe becomes an accepted fallback.

/** Level-1 failures that make a chip unreadable (iso7816/errors.ts). */
const CHIP_UNREADABLE = ["card-mute", "protocol"];

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
  let session: ContactCard;
  try {
    session = await openContactCard({ slot, clock: env.clock });
  } catch (e) {
    if (!(e instanceof MposError)) throw e;
    if (CHIP_UNREADABLE.indexOf(e.code) >= 0) return { kind: "chip-unreadable", reason: `${e.code}: ${e.message}`, apdus: 0 };
    const aborted = abortOutcome(`${e.code}:`);
    return { kind: "outcome", cardInterface: "contact", outcome: aborted ?? "end-application", cvm: "none", reason: `${e.code}: ${e.message}`, apdus: 0 };
  }
  const transport: ApduTransport = {
    transmit: (command) => {
      ports.checkpoint();
      return session.transport.transmit(command);
    },
  };
  let out: EmvOutcome;
  try {
    out = await performTransaction(env.terminal, params, {
      transport, crypto: env.crypto, random: env.random, cardholder: ports.cardholder, authorizer: ports.authorizer,
      protector: env.keys, pinEncryptor: env.keys, oda: env.oda,
    });
  } finally {
    await session.deactivate();
  }
  // A chip that stopped answering before an application was chosen is unreadable too.
  if (out.kind === "end-application" && !out.aid && CHIP_UNREADABLE.indexOf(reasonCode(out.reason)) >= 0) {
    return { kind: "chip-unreadable", reason: out.reason as string, apdus: session.apduCount };
  }
  return result(out, session.apduCount);
}
