import type { TamperEvent } from "../../hal/tamper";
import { softwareCrypto, type CryptoProvider } from "../../kernel/crypto";
import type { OnlineAuthorizer } from "../../kernel/emv/online";
import { KeyStore, type KeyStoreStatus } from "../../kernel/security/key-store";
import { TamperResponse } from "../../kernel/security/tamper";
import { powerOnSelfTests, runSelfTests, type SelfTestReport } from "../../kernel/selftest";
import { contactPayment } from "./contact-payment";
import { contactlessPayment } from "./contactless-payment";
import { magstripePayment } from "./magstripe-payment";
import type { PaymentRequest, PaymentResult } from "./payment";
import { loadReaderConfig, type ReaderConfig, type ReaderConfigFiles } from "./reader-config";
import type { ReaderHal } from "./reader-hal";

// The reader application: what the firmware does from power-on, over any HAL.
//
// Start-up (PCI PTS POI): the known-answer tests of every cryptographic function first; a reader
// whose self-tests fail stays out of service. Then the key store opens over secure storage (its
// records checked, a DUKPT counter skipped past one that may have been in use at a power cut), and
// the tamper response is armed, acting at once on a tamper latched while the reader was off.
// Then payments, one at a time, on the interface the request names.

export interface ReaderStartReport {
  selfTest: { passed: number; failed: number; failedTests: string[] };
  keys: KeyStoreStatus["state"];
  configured: boolean;
  inService: boolean;
}

export class Reader {
  private busy = false;
  private tamperedBy: TamperEvent | null = null;

  private constructor(
    private readonly hal: ReaderHal,
    private readonly config: ReaderConfig | null,
    private readonly crypto: CryptoProvider,
    private selfTestReport: SelfTestReport,
    readonly keys: KeyStore,
  ) {}

  /**
   * Powers the application up on `hal` with the configuration `files` (null: none installed yet; the
   * reader then refuses payments until one is).
   */
  static async start(hal: ReaderHal, files: ReaderConfigFiles | null, crypto: CryptoProvider = softwareCrypto, selfTestDone?: SelfTestReport): Promise<Reader> {
    // `selfTestDone`: the report of the tests the boot confirmation just ran (firmware/device.ts), not run twice.
    const selfTest = selfTestDone ?? runSelfTests(crypto, powerOnSelfTests);
    const config = files === null ? null : loadReaderConfig(crypto, files);
    const keys = await KeyStore.open({ storage: hal.storage, crypto, random: hal.random });
    const reader = new Reader(hal, config, crypto, selfTest, keys);
    if (hal.tamper) {
      const response = new TamperResponse({ monitor: hal.tamper, keyStore: keys, onErased: (event) => { reader.tamperedBy = event; } });
      await response.start();
    }
    return reader;
  }

  get selfTest(): SelfTestReport {
    return this.selfTestReport;
  }

  /** Out of service while a self-test fails or after a tamper response (PCI PTS POI A1, B1). */
  get inService(): boolean {
    return this.selfTest.failed === 0 && !this.keys.isTampered;
  }

  async report(): Promise<ReaderStartReport> {
    const status = await this.keys.status();
    return {
      selfTest: {
        passed: this.selfTest.passed,
        failed: this.selfTest.failed,
        failedTests: this.selfTest.tests.filter((t) => !t.ok).map((t) => t.name),
      },
      keys: status.state,
      configured: this.config !== null,
      inService: this.inService,
    };
  }

  /** Runs the known-answer tests again (PCI PTS POI: at least every 24 hours); a failure takes the reader out of service. */
  retest(): SelfTestReport {
    const report = runSelfTests(this.crypto, powerOnSelfTests);
    this.selfTestReport = report;
    return report;
  }

  /** The cause of the last tamper response since start-up, or null. */
  get tamperEvent(): TamperEvent | null {
    return this.tamperedBy;
  }

  /** One payment on the interface `request` names; `authorizer` takes it online. */
  async pay(request: PaymentRequest, authorizer: OnlineAuthorizer): Promise<PaymentResult> {
    if (!this.inService) {
      return { outcome: "end-application", cvm: "none", reason: this.keys.isTampered ? "tampered: the keys were erased" : "self-test: a known-answer test failed" };
    }
    if (this.busy) return { outcome: "end-application", cvm: "none", reason: "busy: a payment is in progress" };
    const config = this.config;
    if (config === null) return { outcome: "end-application", cvm: "none", reason: "not-configured: no terminal configuration installed" };
    this.busy = true;
    try {
      const hal = this.hal;
      if (request.interface === "contact") {
        if (!hal.contactSlot) return { outcome: "end-application", cvm: "none", reason: "no-interface: this reader has no contact slot" };
        return await contactPayment(config, request, {
          slot: hal.contactSlot,
          clock: hal.clock,
          crypto: this.crypto,
          random: hal.random,
          cardholder: hal.cardholder,
          authorizer,
          protector: this.keys,
          pinEncryptor: this.keys,
          oda: config.oda,
        });
      }
      if (request.interface === "contactless") {
        if (!hal.nfc || !hal.contactlessUi) return { outcome: "end-application", cvm: "none", reason: "no-interface: this reader has no NFC front end" };
        if (!config.contactless) return { outcome: "end-application", cvm: "none", reason: "not-configured: no contactless configuration installed" };
        return await contactlessPayment(config.contactless, request, {
          nfc: hal.nfc,
          crypto: this.crypto,
          random: hal.random,
          clock: hal.clock,
          ui: hal.contactlessUi,
          oda: config.oda,
          cardholder: hal.cardholder,
          authorizer,
          protector: this.keys,
          pinEncryptor: this.keys,
        });
      }
      if (!hal.magstripeHead) return { outcome: "end-application", cvm: "none", reason: "no-interface: this reader has no magnetic head" };
      return await magstripePayment(config, request, { head: hal.magstripeHead, cardholder: hal.cardholder, authorizer, keys: this.keys });
    } finally {
      this.busy = false;
    }
  }
}
