import { fromHex } from "../../kernel/bytes";
import type {
  DeviceInfo, DeviceStatus, OnlineAnswer, PaymentEngine, ReaderConfiguration, ReversalRecord, StartTransaction, TransactionContext,
  TransactionOutcome,
} from "../../kernel/protocol";

// A payment engine that plays a fixed script (protocol tests, the XS protocol services, the bench):
// present card, a chip card detected, PIN entry of four digits, an online authorisation through the
// phone, then approved when the host answered "00". Its card data are fixed TEST values: an
// envelope of fixed bytes (opaque to the protocol), a masked PAN, and non-sensitive EMV tags.
// Options make it wait for a cancel or skip the online step. Pure TypeScript: it runs on XS too.

export interface ScriptedEngineOptions {
  /** Hold the transaction after "card detected" until the phone cancels. */
  waitForCancel?: boolean;
  /** Decide offline (approve without going online). */
  offline?: boolean;
}

const TEST_KSN = fromHex("123456789012A00100000001");

export class ScriptedPaymentEngine implements PaymentEngine {
  readonly options: ScriptedEngineOptions;
  configVersion = 0;
  epochSeconds: number | null = null;
  transactions = 0;
  readonly reversalLog: ReversalRecord[] = [];

  constructor(options: ScriptedEngineOptions = {}) {
    this.options = options;
  }

  async deviceInfo(): Promise<Omit<DeviceInfo, "protocolVersions">> {
    return {
      model: "MPOS-R1", serial: "MPOSR1SIM0001", firmwareVersion: "1.0.0", hardwareRevision: "B", configurationVersion: this.configVersion,
      keys: [
        { usage: "pin", scheme: "aes-dukpt", keySetId: fromHex("12345678"), ksn: TEST_KSN },
        { usage: "data", scheme: "aes-dukpt", keySetId: fromHex("12345678"), ksn: fromHex("123456789012D00100000001") },
      ],
    };
  }

  async status(): Promise<Omit<DeviceStatus, "transactionActive">> {
    return { batteryPercent: 87, charging: false, cardPresent: [], tampered: false, keysLoaded: true, timeSet: this.epochSeconds !== null };
  }

  async runTransaction(request: StartTransaction, ctx: TransactionContext): Promise<TransactionOutcome> {
    this.transactions++;
    ctx.emit({ kind: "prompt", prompt: "presentCard" });
    ctx.emit({ kind: "card-detected", cardInterface: "contact" });
    if (this.options.waitForCancel === true) {
      await new Promise<void>((resolve) => ctx.onCancel(resolve));
      return { result: "cancelled", reason: "cancelled", cardInterface: "contact", emvData: [] };
    }
    ctx.emit({ kind: "prompt", prompt: "enterPin" });
    for (let d = 1; d <= 4; d++) ctx.emit({ kind: "pin-entry", digits: d });
    ctx.emit({ kind: "prompt", prompt: "pinOk" });
    const envelope = { scheme: "aes-dukpt" as const, ksn: fromHex("123456789012D00100000001"), ciphertext: fromHex("00112233445566778899AABBCCDDEEFF".repeat(3)), mac: fromHex("0F1E2D3C4B5A69788796A5B4C3D2E1F0") };
    const emv = [
      { tag: "9F02", value: fromHex(request.amount.toString().padStart(12, "0")) },
      { tag: "9F26", value: fromHex("8E19ED4BCA5C670A") },
      { tag: "9F27", value: fromHex("80") },
      { tag: "95", value: fromHex("0000008000") },
    ];
    if (this.options.offline === true) {
      return { result: "approved", cardInterface: "contact", maskedPan: "476173******0119", envelope, emvData: emv };
    }
    ctx.emit({ kind: "prompt", prompt: "authorising" });
    const answer: OnlineAnswer = await ctx.authorise({
      cardInterface: "contact", maskedPan: "476173******0119", envelope,
      pinBlock: { block: fromHex("1A2B3C4D5E6F70819293A4B5C6D7E8F9"), ksn: TEST_KSN, format: 4 }, emvData: emv,
    });
    if (answer.result === "unable") return { result: "declined", reason: "unableToGoOnline", cardInterface: "contact", emvData: emv };
    const approved = answer.arc === "00";
    ctx.emit({ kind: "prompt", prompt: approved ? "approved" : "declined" });
    return {
      result: approved ? "approved" : "declined",
      reason: approved ? undefined : "declinedByIssuer",
      cardInterface: "contact",
      maskedPan: "476173******0119",
      envelope,
      emvData: [...emv, { tag: "8A", value: Uint8Array.from(answer.arc ?? "  ", (c) => c.charCodeAt(0)) }],
    };
  }

  async reversals(max: number): Promise<{ records: ReversalRecord[]; more: boolean }> {
    return { records: this.reversalLog.slice(0, max), more: this.reversalLog.length > max };
  }

  async clearReversals(transactionId: number): Promise<number> {
    const i = this.reversalLog.findIndex((r) => r.transactionId === transactionId);
    if (i < 0) return 0;
    return this.reversalLog.splice(0, i + 1).length;
  }

  // No outcomes(), clearOutcomes() or nextTransactionId(): like the simulator's engines
  // (engine-records.ts, where the reason is), it keeps no transaction log and holds no outcome, so
  // GET-OUTCOMES answers an empty list.

  async setTime(epochSeconds: number): Promise<void> {
    this.epochSeconds = epochSeconds;
  }

  async configurationVersion(): Promise<number> {
    return this.configVersion;
  }

  async configure(config: ReaderConfiguration): Promise<void> {
    this.configVersion = config.version;
  }

  async reboot(): Promise<void> {
    // A scripted reader has nothing to restart.
  }
}
