import { performContactlessTransaction, type ContactlessOutcome } from "../contactless/transaction";
import type { TransactionParams } from "../emv/context";
import type { ContactlessTransport, Pcd, PollResult } from "../iso14443/pcd";
import { abortOutcome, contactlessCvmPerformed, type CardOutcome, type CardReadResult, type ReadingEnvironment, type ReadingPorts } from "./card-reading";

// A tap: the contactless Entry Point and kernels (kernel/contactless, EMV Contactless Books A, B,
// C-2, C-3) with the card the state machine's own polling found. While the reader waits for a card
// on every interface at once it polls the field in short slices between its other events; once a
// card is activated, the Entry Point starts at Start B with that card already in hand (the primed
// PCD below) and polls on its own only after a Try Again.

/**
 * A PCD whose next poll hands over a card the reader already activated; every other call goes to
 * the real PCD. The card's transport stops at the state machine's checkpoint before each command.
 */
export class PrimedPcd implements Pcd {
  private primed: PollResult | null;

  constructor(private readonly pcd: Pcd, activated: PollResult, private readonly checkpoint: () => void) {
    this.primed = activated;
  }

  private guard(r: PollResult): PollResult {
    if (r.kind !== "activated") return r;
    const inner = r.transport;
    const checkpoint = this.checkpoint;
    const transport: ContactlessTransport = {
      transmit(command) {
        checkpoint();
        return inner.transmit(command);
      },
      deselect: () => inner.deselect(),
    };
    return { kind: "activated", card: r.card, transport };
  }

  async poll(timeoutMs: number): Promise<PollResult> {
    const primed = this.primed;
    this.primed = null;
    return this.guard(primed ?? (await this.pcd.poll(timeoutMs)));
  }

  awaitRemoval(timeoutMs: number): Promise<"removed" | "present"> {
    return this.pcd.awaitRemoval(timeoutMs);
  }

  resetField(): Promise<void> {
    return this.pcd.resetField();
  }

  close(): Promise<void> {
    return this.pcd.close();
  }
}

function outcome(o: ContactlessOutcome): CardReadResult {
  switch (o.kind) {
    case "try-another-interface":
      return o.reason ? { kind: "try-another-interface", reason: o.reason } : { kind: "try-another-interface" };
    case "collision":
    case "present-card-again":
    case "no-card":
      return o.reason ? { kind: "present-card-again", reason: o.reason } : { kind: "present-card-again" };
    default:
      break;
  }
  const r: CardOutcome = {
    kind: "outcome",
    cardInterface: "contactless",
    outcome: o.kind === "end-application" ? abortOutcome(o.reason) ?? "end-application" : o.kind,
    cvm: contactlessCvmPerformed(o.cvm),
  };
  if (o.maskedPan) r.maskedPan = o.maskedPan;
  if (o.tvr) r.tvr = o.tvr;
  if (o.cid !== undefined) r.cid = o.cid;
  if (o.arc) r.arc = o.arc;
  if (o.envelope) r.envelope = o.envelope;
  if (o.pinKsn) r.pinKsn = o.pinKsn;
  if (o.reason) r.reason = o.reason;
  return r;
}

export async function readContactlessCard(pcd: Pcd, activated: PollResult, env: ReadingEnvironment, params: TransactionParams,
    ports: ReadingPorts): Promise<CardReadResult> {
  if (!env.contactless) throw new Error("contactless reading without a contactless configuration");
  const o = await performContactlessTransaction({
    config: env.contactless,
    params,
    pcd: new PrimedPcd(pcd, activated, ports.checkpoint),
    deps: {
      crypto: env.crypto, random: env.random, clock: env.clock, ui: ports.ui, oda: env.oda,
      cardholder: ports.cardholder, authorizer: ports.authorizer, protector: env.keys, pinEncryptor: env.keys,
    },
  });
  return outcome(o);
}
