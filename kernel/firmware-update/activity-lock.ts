// Issue 13, item 4: no payment transaction during a firmware update, and no update during a
// transaction. One lock for the reader's two long activities; the transaction engine and the update
// service share one instance (the firmware creates it and hands it to both).

export type ReaderActivity = "transaction" | "firmware-update";

export class ActivityLock {
  private holder: ReaderActivity | null = null;

  /** The activity that holds the lock, or null. */
  get current(): ReaderActivity | null {
    return this.holder;
  }

  /** Takes the lock for `activity`; false when the other activity holds it. Re-entrant for the holder. */
  tryAcquire(activity: ReaderActivity): boolean {
    if (this.holder !== null && this.holder !== activity) return false;
    this.holder = activity;
    return true;
  }

  /** Releases the lock if `activity` holds it. */
  release(activity: ReaderActivity): void {
    if (this.holder === activity) this.holder = null;
  }
}
