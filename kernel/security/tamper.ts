import type { TamperEvent, TamperMonitor } from "../../hal/tamper";
import type { KeyStore } from "./key-store";

// Tamper response (PCI PTS POI, A1): a tamper event from the HAL erases every secret key at once;
// the key store then refuses every service until a KBPK and new keys are loaded. The response is
// also run at start-up when the hardware latch says a tamper happened while the reader was off.

export interface TamperResponseOptions {
  monitor: TamperMonitor;
  keyStore: KeyStore;
  /** Told after each erase (for the transaction layer and the display); never gets key material. */
  onErased?: (event: TamperEvent) => void;
  /**
   * Other holders of secrets in the same storage (the BLE bond keys, kernel/protocol/bond-store.ts):
   * called synchronously with the key store's erase, so their keys leave memory at the same moment.
   */
  zeroize?: () => void;
}

export class TamperResponse {
  private readonly monitor: TamperMonitor;
  private readonly keyStore: KeyStore;
  private readonly onErased?: (event: TamperEvent) => void;
  private readonly zeroize?: () => void;
  private pending: Promise<void> = Promise.resolve();

  constructor(options: TamperResponseOptions) {
    this.monitor = options.monitor;
    this.keyStore = options.keyStore;
    this.onErased = options.onErased;
    this.zeroize = options.zeroize;
  }

  /** Subscribes to the sensors, then acts on a tamper latched while the reader was off. */
  async start(): Promise<void> {
    this.monitor.onTamper((event) => this.respond(event));
    const cause = await this.monitor.latched();
    if (cause !== null && !this.keyStore.isTampered) this.respond({ cause });
    await this.pending;
  }

  /**
   * Zeroizes the keys in memory synchronously (inside the sensor callback), then erases storage.
   * Returns when the storage erase is done.
   */
  respond(event: TamperEvent): Promise<void> {
    const erased = this.keyStore.erase(event.cause);
    if (this.zeroize) this.zeroize();
    this.pending = erased.then(() => {
      if (this.onErased) this.onErased(event);
    });
    return this.pending;
  }

  /** Resolves when the last erase finished (tests, orderly shutdown). */
  settled(): Promise<void> {
    return this.pending;
  }
}
