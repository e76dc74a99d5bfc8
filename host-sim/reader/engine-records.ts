import type { ReaderConfiguration, ReversalRecord } from "../../kernel/protocol";

/**
 * What a simulated reader's PaymentEngine keeps besides its payments: the reversal log the phone
 * downloads and clears, the time the phone set, and the configuration it installed. Shared by the
 * simulator's engines (host-sim/reader, host-sim/server); the firmware keeps these in its journal.
 */
export class SimEngineRecords {
  protected readonly reversalLog: ReversalRecord[] = [];
  protected epochSeconds: number | null = null;
  protected configuration: ReaderConfiguration | null = null;

  async reversals(max: number): Promise<{ records: ReversalRecord[]; more: boolean }> {
    return { records: this.reversalLog.slice(0, max), more: this.reversalLog.length > max };
  }

  /** Clears the reversals up to and including `transactionId`; returns how many. */
  async clearReversals(transactionId: number): Promise<number> {
    const i = this.reversalLog.findIndex((r) => r.transactionId === transactionId);
    return i < 0 ? 0 : this.reversalLog.splice(0, i + 1).length;
  }

  /*
   * No outcomes() or clearOutcomes(): a simulated engine keeps no transaction log, so it never holds
   * an outcome for the phone (what kernel/transaction/journal.ts does across a power loss);
   * the reader service then answers GET-OUTCOMES with an empty list and CLEAR-OUTCOMES with 0
   * (kernel/protocol/request-handlers.ts). Nor nextTransactionId: the service numbers the
   * transactions itself, unique within one start, which is enough where no outcome outlives a start.
   */

  async setTime(epochSeconds: number): Promise<void> {
    this.epochSeconds = epochSeconds;
  }

  async configurationVersion(): Promise<number> {
    return this.configuration?.version ?? 0;
  }

  async configure(config: ReaderConfiguration): Promise<void> {
    this.configuration = config;
  }
}
