import { collectHeldOutcomes, OutcomeLedger } from "../../client/outcome-ledger";
import { heldOutcomeId, type HeldOutcome, type PaymentReader } from "../../kernel/transaction";

// The simulated phone's side of the outcomes the reader holds (kernel/transaction/journal.ts), on
// the phone SDK's own code (client/outcome-ledger.ts): the phone remembers each payment whose
// outcome it reported, and at every connection collects the held outcomes, reports the ones it
// never had and drops the others, then the reader forgets them. The scenario runner and the soak
// (with its power-loss sweep) report payments through it, so "no payment reported twice" is checked
// on the path a phone app takes.

/** The simulated reader's serial, the ledger's key. */
const SIM_SERIAL = "SIM";

export class SimPhoneOutcomes {
  private readonly ledger = new OutcomeLedger();

  /** The live outcome of `transactionId` reached the phone; resolves false for a second copy. */
  reported(transactionId: number): Promise<boolean> {
    return this.ledger.remember(SIM_SERIAL, transactionId);
  }

  /** The phone connects: the held outcomes it never had (oldest first), and how many copies it dropped. */
  async collect(reader: PaymentReader): Promise<{ fresh: HeldOutcome[]; dropped: number }> {
    const fresh: HeldOutcome[] = [];
    const { dropped } = await collectHeldOutcomes({
      fetch: async () => {
        const { records, more } = reader.outcomes();
        return { records: records.map((h) => ({ ...h, transactionId: heldOutcomeId(h) })), more };
      },
      clear: (transactionId) => reader.clearOutcomes(transactionId),
    }, this.ledger, SIM_SERIAL, (record) => { fresh.push(record); });
    return { fresh, dropped };
  }
}
