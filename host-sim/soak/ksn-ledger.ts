// "No KSN repeats" (issue 12, item 2): every P2PE envelope and every online PIN block of a soak
// has a KSN of its own. ANSI X9.24-3-2017, 6.5: the reader's transaction counter advances for every
// key it derives, so a KSN seen twice under one key set means a future key was used twice.

/** Repeats listed at most (a broken counter repeats every KSN after it). */
const MAX_LISTED = 20;

export class KsnLedger {
  private readonly envelopes = new Set<string>();
  private readonly pinBlocks = new Set<string>();
  readonly repeats: string[] = [];

  /** The KSN (hex) of the envelope of transaction `n`. */
  envelope(ksn: string, n: number): void {
    this.note(this.envelopes, "envelope", ksn, n);
  }

  /** The KSN (hex) of the online PIN block of transaction `n`. */
  pinBlock(ksn: string, n: number): void {
    this.note(this.pinBlocks, "PIN", ksn, n);
  }

  get envelopeCount(): number {
    return this.envelopes.size;
  }

  get pinBlockCount(): number {
    return this.pinBlocks.size;
  }

  private note(seen: Set<string>, what: string, ksn: string, n: number): void {
    if (seen.has(ksn) && this.repeats.length < MAX_LISTED) this.repeats.push(`${what} KSN ${ksn} again at transaction ${n}`);
    seen.add(ksn);
  }
}
