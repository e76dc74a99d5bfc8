// A virtual EMV chip card: one payment application behind a PSE, answering the commands of EMV
// Book 3, section 6.5 with real cryptography. It implements IccApplet: the virtual ICC around it
// does level 1 (ATR, T=0 / T=1), this class sees whole command APDUs.

import type { RandomSource } from "../../hal/random";
import { concat, constantTimeEqual } from "../../kernel/bytes";
import { parseCommandApdu, type ParsedCommandApdu } from "../../kernel/iso7816/apdu";
import { encodeTlv, parseDol, dolDataLength } from "../../kernel/tlv";
import type { IccApplet } from "../icc/applet";
import { atcBytes, type AppletContext } from "./applet-context";
import { newTransaction, type PersistentState, type TransactionState } from "./card-state";
import { getChallenge, verify } from "./cardholder-verification";
import { internalAuthenticate } from "./dynamic-signature";
import { externalAuthenticate, generateAc } from "./generate-ac";
import { isIssuerScriptCommand, issuerScriptCommand } from "./issuer-script-commands";
import { PSE_NAME, type IccImage } from "./personalization";
import { respond, SW } from "./status-words";

const INS = {
  select: 0xa4,
  readRecord: 0xb2,
  getProcessingOptions: 0xa8,
  getData: 0xca,
  getChallenge: 0x84,
  verify: 0x20,
  internalAuthenticate: 0x88,
  generateAc: 0xae,
  externalAuthenticate: 0x82,
} as const;

/**
 * The card's own computing time per command, microseconds: a typical contact chip with a crypto
 * coprocessor (TDES in a few milliseconds, a 1024-bit RSA private operation in about 100 ms).
 */
const PROCESSING_US = { simple: 3000, gpo: 6000, tdes: 25000, rsa: 110000 } as const;

const PSE = Uint8Array.from(PSE_NAME, (ch) => ch.charCodeAt(0));

export interface EmvAppletOptions {
  /** The random source of the card's unpredictable numbers (GET CHALLENGE, ICC dynamic numbers). */
  random?: RandomSource;
  /** The PIN, ASCII digits (default "1234"). */
  pin?: string;
}

const systemRandom: RandomSource = {
  fill(bytes: Uint8Array): void {
    (globalThis as unknown as { crypto: { getRandomValues(b: Uint8Array): void } }).crypto.getRandomValues(bytes);
  },
};

export class EmvCardApplet implements IccApplet {
  readonly image: IccImage;
  readonly persistent: PersistentState;
  private tx: TransactionState = newTransaction();
  private readonly random: RandomSource;

  constructor(image: IccImage, options: EmvAppletOptions = {}) {
    this.image = image;
    this.random = options.random ?? systemRandom;
    const app = image.app;
    this.persistent = {
      atc: 0x0010,
      lastOnlineAtc: 0x000f,
      pinTryCounter: app.pinTryCounter,
      pin: Uint8Array.from(options.pin ?? "1234", (ch) => ch.charCodeAt(0)),
      applicationBlocked: false,
      cardBlocked: false,
      offlineAmountMinor: 0,
      goOnlineNext: false,
      scriptCommands: 0,
      scriptFailed: false,
    };
  }

  reset(): void {
    this.tx = newTransaction();
  }

  /** The transaction state, for tests and the simulator's log (never the keys). */
  get transaction(): Readonly<TransactionState> {
    return this.tx;
  }

  processingUs(command: Uint8Array): number {
    const ins = command.length > 1 ? command[1] : 0;
    if (command[0] === 0x84) return PROCESSING_US.tdes;
    switch (ins) {
      case INS.getProcessingOptions:
        return PROCESSING_US.gpo;
      case INS.internalAuthenticate:
        return PROCESSING_US.rsa;
      case INS.generateAc:
        return (command[2] & 0x10) !== 0 && this.image.app.oda === "cda" ? PROCESSING_US.rsa + PROCESSING_US.tdes : PROCESSING_US.tdes;
      case INS.verify:
        return command[3] === 0x88 ? PROCESSING_US.rsa : PROCESSING_US.simple;
      case INS.externalAuthenticate:
        return PROCESSING_US.tdes;
      default:
        return PROCESSING_US.simple;
    }
  }

  process(command: Uint8Array): Uint8Array {
    let cmd: ParsedCommandApdu;
    try {
      cmd = parseCommandApdu(command);
    } catch {
      return respond(SW.wrongLength);
    }
    const ctx: AppletContext = { image: this.image, persistent: this.persistent, tx: this.tx, random: this.random };
    if (this.persistent.cardBlocked && cmd.ins === INS.select) return respond(SW.functionNotSupported);
    if (isIssuerScriptCommand(cmd)) {
      return this.tx.selected === "adf" ? issuerScriptCommand(ctx, cmd) : respond(SW.conditionsNotSatisfied);
    }
    if (cmd.cla !== 0x00 && cmd.cla !== 0x80) return respond(SW.claNotSupported);
    const proprietary = cmd.cla === 0x80;
    switch (cmd.ins) {
      case INS.select:
        return proprietary ? respond(SW.claNotSupported) : this.select(cmd);
      case INS.readRecord:
        return proprietary ? respond(SW.claNotSupported) : this.readRecord(cmd);
      case INS.getProcessingOptions:
        return !proprietary ? respond(SW.claNotSupported) : this.inAdf(() => this.getProcessingOptions(cmd));
      case INS.getData:
        return !proprietary ? respond(SW.claNotSupported) : this.inAdf(() => this.getData(cmd));
      case INS.getChallenge:
        return proprietary ? respond(SW.claNotSupported) : this.inAdf(() => getChallenge(ctx, cmd));
      case INS.verify:
        return proprietary ? respond(SW.claNotSupported) : this.inAdf(() => verify(ctx, cmd));
      case INS.internalAuthenticate:
        return proprietary ? respond(SW.claNotSupported) : this.inAdf(() => internalAuthenticate(ctx, cmd));
      case INS.generateAc:
        return !proprietary ? respond(SW.claNotSupported) : this.inAdf(() => generateAc(ctx, cmd));
      case INS.externalAuthenticate:
        return proprietary ? respond(SW.claNotSupported) : this.inAdf(() => externalAuthenticate(ctx, cmd));
      default:
        return respond(SW.insNotSupported);
    }
  }

  private inAdf(handler: () => Uint8Array): Uint8Array {
    return this.tx.selected === "adf" ? handler() : respond(SW.conditionsNotSatisfied);
  }

  /**
   * Book 1, 12.3.2 / Book 3, 6.5.11: SELECT by DF name, P2 '00' first occurrence, '02' next. A DF
   * name of at least 5 bytes that starts the AID selects it (partial name selection, Book 1,
   * 12.3.3). Every SELECT ends the previous selection and its transaction.
   */
  private select(cmd: ParsedCommandApdu): Uint8Array {
    if (cmd.p1 !== 0x04 || (cmd.p2 !== 0x00 && cmd.p2 !== 0x02)) return respond(SW.wrongP1P2);
    this.tx = newTransaction();
    const name = cmd.data;
    if (name.length === PSE.length && constantTimeEqual(name, PSE)) {
      if (cmd.p2 !== 0x00) return respond(SW.fileNotFound);
      this.tx.selected = "pse";
      return respond(SW.ok, this.image.pseFci);
    }
    const aid = this.image.aid;
    const matches = name.length >= 5 && name.length <= aid.length && constantTimeEqual(name, aid.subarray(0, name.length));
    if (!matches || cmd.p2 !== 0x00) return respond(SW.fileNotFound);
    this.tx.selected = "adf";
    return respond(this.persistent.applicationBlocked ? SW.selectedFileInvalidated : SW.ok, this.image.adfFci);
  }

  /** Book 3, 6.5.11: READ RECORD, P1 the record number, P2 = SFI << 3 | '100'. */
  private readRecord(cmd: ParsedCommandApdu): Uint8Array {
    if ((cmd.p2 & 0x07) !== 0x04 || cmd.p1 === 0) return respond(SW.wrongP1P2);
    const sfi = cmd.p2 >> 3;
    if (this.tx.selected === "pse") {
      const record = sfi === 1 ? this.image.pseRecords[cmd.p1 - 1] : undefined;
      return record ? respond(SW.ok, record) : respond(SW.recordNotFound);
    }
    if (this.tx.selected !== "adf") return respond(SW.conditionsNotSatisfied);
    const record = this.image.records.get(`${sfi}:${cmd.p1}`);
    return record ? respond(SW.ok, record) : respond(SW.recordNotFound);
  }

  /**
   * Book 3, 6.5.8: GET PROCESSING OPTIONS with '83' || PDOL data; the ATC is incremented and the
   * AIP and AFL returned in format 1 ('80') or format 2 ('77').
   */
  private getProcessingOptions(cmd: ParsedCommandApdu): Uint8Array {
    if (cmd.p1 !== 0x00 || cmd.p2 !== 0x00) return respond(SW.wrongP1P2);
    if (this.tx.gpoDone) return respond(SW.conditionsNotSatisfied);
    const d = cmd.data;
    const expected = this.image.pdol.length > 0 ? dolDataLength(parseDol(this.image.pdol)) : 0;
    if (d.length < 2 || d[0] !== 0x83 || d[1] !== d.length - 2 || d[1] !== expected) return respond(SW.wrongLength);
    if (this.persistent.atc >= 0xffff) return respond(SW.conditionsNotSatisfied);
    this.persistent.atc++;
    this.tx.gpoDone = true;
    this.tx.pdolData = d.slice(2);
    const { aip, afl } = this.image;
    if (this.image.app.responseFormat === 2) {
      return respond(SW.ok, encodeTlv("77", concat(encodeTlv("82", aip), encodeTlv("94", afl))));
    }
    return respond(SW.ok, encodeTlv("80", concat(aip, afl)));
  }

  /** Book 3, 6.5.7: GET DATA for the ATC, the Last Online ATC Register and the PIN Try Counter. */
  private getData(cmd: ParsedCommandApdu): Uint8Array {
    const tag = ((cmd.p1 << 8) | cmd.p2).toString(16).toUpperCase();
    const s = this.persistent;
    switch (tag) {
      case "9F36":
        return respond(SW.ok, encodeTlv("9F36", atcBytes(s.atc)));
      case "9F13":
        return respond(SW.ok, encodeTlv("9F13", atcBytes(s.lastOnlineAtc)));
      case "9F17":
        return respond(SW.ok, encodeTlv("9F17", Uint8Array.of(s.pinTryCounter)));
      default:
        return respond(SW.referencedDataNotFound);
    }
  }
}
