import type { ReportedOutcomeStore } from "./outcome-ledger";

// What the phone keeps between connections (docs/protocol.md, "Pairing"): its own phone id, and one
// bond key per reader serial number. A real app keeps them in the platform's keystore (iOS Keychain,
// Android Keystore); the SDK sees them through this interface. Optionally, the ids of the payments
// reported to the app (outcome-ledger.ts), so a payment is reported once across runs of the app.

export interface CredentialStore extends ReportedOutcomeStore {
  /** This phone's id (8 random bytes, made once and kept). */
  phoneId(): Promise<Uint8Array>;
  bondKey(readerSerial: string): Promise<Uint8Array | undefined>;
  saveBond(readerSerial: string, key: Uint8Array): Promise<void>;
  removeBond(readerSerial: string): Promise<void>;
}

/** Credentials in memory (tests, the simulator's CLI). */
export class MemoryCredentialStore implements CredentialStore {
  private readonly bonds = new Map<string, Uint8Array>();
  private readonly reported = new Map<string, number[]>();
  constructor(private readonly id: Uint8Array) {}

  async reportedOutcomes(readerSerial: string): Promise<number[]> {
    return (this.reported.get(readerSerial) ?? []).slice();
  }

  async saveReportedOutcomes(readerSerial: string, transactionIds: number[]): Promise<void> {
    this.reported.set(readerSerial, transactionIds.slice());
  }

  async phoneId(): Promise<Uint8Array> {
    return this.id.slice();
  }

  async bondKey(readerSerial: string): Promise<Uint8Array | undefined> {
    return this.bonds.get(readerSerial)?.slice();
  }

  async saveBond(readerSerial: string, key: Uint8Array): Promise<void> {
    this.bonds.set(readerSerial, key.slice());
  }

  async removeBond(readerSerial: string): Promise<void> {
    this.bonds.get(readerSerial)?.fill(0);
    this.bonds.delete(readerSerial);
  }
}
