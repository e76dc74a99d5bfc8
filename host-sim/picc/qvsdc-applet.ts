import type { RandomSource } from "../../hal/random";
import { concat, constantTimeEqual } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { applicationCryptogram, CCD_AC_DATA, cryptogramInput, deriveAcSessionKey } from "../../kernel/emv/crypto";
import { parseCommandApdu, type ParsedCommandApdu } from "../../kernel/iso7816/apdu";
import { dolDataLength, encodeTlv, parseDol } from "../../kernel/tlv";
import type { IccApplet } from "../icc/applet";
import { atcBytes, bcdAmount, splitDolData } from "../cards/applet-context";
import { CardVerificationResults, issuerApplicationData, type AcType } from "../cards/card-verification-results";
import { signedDynamicApplicationData } from "../cards/certificates";
import { track2Equivalent } from "../cards/personalization";
import { respond, SW } from "../cards/status-words";
import { PPSE, type ContactlessImage } from "./personalization";

// The card (or phone) side of kernel 3: a qVSDC application (EMV Contactless Book C-3, Annex A
// for its data). GET PROCESSING OPTIONS carries the reader's TTQ and the transaction data in the
// PDOL; the card decides at once: an ARQC when the reader needs one or its own offline limit is
// passed, else a TC; its CTQ says which CVM it wants (online PIN, signature) or that the phone has
// verified its owner (CDCVM); with a TC it signs the fDDA data. Everything comes back in the
// response ('77'), then the reader reads the records.
//
// Cryptogram: Cryptogram Version 5 of the Common Core Definitions over the PDOL data, as the contact
// applets do (kernel/emv/crypto), so the issuer host verifies it the same way. The ICC Dynamic
// Number of fDDA is this simulator's choice: the ATC.

const PPSE_NAME = Uint8Array.from(PPSE, (ch) => ch.charCodeAt(0));
const CID: Record<AcType, number> = { AAC: 0x00, TC: 0x40, ARQC: 0x80 };

/** A contactless chip's computing time, us: fast TDES, a 1024-bit RSA signature in about 30 ms. */
const CHIP_US = { simple: 1500, gpo: 6000, rsa: 30000 } as const;
/** A phone's HCE path adds its operating system's latency to every APDU. */
const PHONE_APDU_US = 8000;

export class QvsdcApplet implements IccApplet {
  private atc = 0x0020;
  private lastOnlineAtc = 0x001f;
  private offlineAmountMinor = 0;
  private selected: "none" | "ppse" | "adf" = "none";
  private gpoDone = false;
  private signsThisGpo = false;

  constructor(private readonly image: ContactlessImage, private readonly random: RandomSource) {}

  reset(): void {
    this.selected = "none";
    this.gpoDone = false;
  }

  processingUs(command: Uint8Array): number {
    const phone = this.image.contactless.formFactor === "phone" ? PHONE_APDU_US : 0;
    if (command.length > 1 && command[0] === 0x80 && command[1] === 0xa8) {
      // Asked after the command ran: the card signed only when it approved offline.
      return phone + CHIP_US.gpo + (this.signsThisGpo ? CHIP_US.rsa : 0);
    }
    return phone + CHIP_US.simple;
  }

  process(command: Uint8Array): Uint8Array {
    let cmd: ParsedCommandApdu;
    try {
      cmd = parseCommandApdu(command);
    } catch {
      return respond(SW.wrongLength);
    }
    if (cmd.cla === 0x00 && cmd.ins === 0xa4) return this.select(cmd);
    if (cmd.cla === 0x00 && cmd.ins === 0xb2) return this.readRecord(cmd);
    if (cmd.cla === 0x80 && cmd.ins === 0xa8) return this.selected === "adf" ? this.getProcessingOptions(cmd) : respond(SW.conditionsNotSatisfied);
    return respond(SW.insNotSupported);
  }

  private select(cmd: ParsedCommandApdu): Uint8Array {
    if (cmd.p1 !== 0x04 || cmd.p2 !== 0x00) return respond(SW.wrongP1P2);
    this.gpoDone = false;
    if (cmd.data.length === PPSE_NAME.length && constantTimeEqual(cmd.data, PPSE_NAME)) {
      this.selected = "ppse";
      return respond(SW.ok, this.image.ppseFci);
    }
    const aid = this.image.aid;
    if (cmd.data.length >= 5 && cmd.data.length <= aid.length && constantTimeEqual(cmd.data, aid.subarray(0, cmd.data.length))) {
      this.selected = "adf";
      return respond(SW.ok, this.image.adfFci);
    }
    this.selected = "none";
    return respond(SW.fileNotFound);
  }

  private readRecord(cmd: ParsedCommandApdu): Uint8Array {
    if (this.selected !== "adf" || !this.gpoDone) return respond(SW.conditionsNotSatisfied);
    if ((cmd.p2 & 0x07) !== 0x04 || cmd.p1 === 0) return respond(SW.wrongP1P2);
    const record = this.image.records.get(`${cmd.p2 >> 3}:${cmd.p1}`);
    return record ? respond(SW.ok, record) : respond(SW.recordNotFound);
  }

  /** The card's decision (its issuer's rules for the contactless interface). */
  private decide(ttq: Uint8Array, amountMinor: number): AcType {
    const offlineOnlyReader = (ttq[0] & 0x08) !== 0;
    const onlineRequired = (ttq[1] & 0x80) !== 0;
    const overLimit = this.offlineAmountMinor + amountMinor > this.image.contactless.offlineLimitMinor;
    const canSign = this.image.iccKey !== undefined;
    if (onlineRequired || overLimit || !canSign) return offlineOnlyReader ? "AAC" : "ARQC";
    return "TC";
  }

  /** The CTQ (Book C-3, Annex A): the CVM the card wants, or CDCVM done on the phone. */
  private ctq(ttq: Uint8Array): Uint8Array {
    const ctq = Uint8Array.of(0x00, 0x00);
    const cvmRequired = (ttq[1] & 0x40) !== 0;
    const readerCdcvm = (ttq[2] & 0x40) !== 0;
    if (this.image.contactless.cdcvm && readerCdcvm) {
      // The phone verified its owner (biometrics, passcode) before the tap.
      ctq[1] |= 0x80;
    } else if (cvmRequired) {
      if (ttq[0] & 0x04) ctq[0] |= 0x80; // online PIN required
      else if (ttq[0] & 0x02) ctq[0] |= 0x40; // signature required
    }
    if (this.image.iccKey) ctq[0] |= 0x20; // go online if offline data authentication fails
    return ctq;
  }

  private getProcessingOptions(cmd: ParsedCommandApdu): Uint8Array {
    if (cmd.p1 !== 0x00 || cmd.p2 !== 0x00) return respond(SW.wrongP1P2);
    if (this.gpoDone) return respond(SW.conditionsNotSatisfied);
    const entries = parseDol(this.image.pdol);
    const d = cmd.data;
    if (d.length < 2 || d[0] !== 0x83 || d[1] !== d.length - 2 || d[1] !== dolDataLength(entries)) return respond(SW.wrongLength);
    const values = splitDolData(entries, d.subarray(2));
    const ttq = values.get("9F66") as Uint8Array;
    const amount = bcdAmount(values.get("9F02"));
    if (amount < 0) return respond(SW.wrongData);
    // EMV mode must be offered: a reader without it gets "try another interface" (Book C-3, 5.2.2.2).
    if ((ttq[0] & 0x20) === 0) return respond(0x6984);
    if (this.atc >= 0xffff) return respond(SW.conditionsNotSatisfied);
    this.atc++;
    this.gpoDone = true;
    const type = this.decide(ttq, amount);
    if (type === "TC") this.offlineAmountMinor += amount;
    const cvr = new CardVerificationResults();
    cvr.firstAc(type);
    const atc = atcBytes(this.atc);
    const iad = issuerApplicationData(cvr, this.lastOnlineAtc, this.offlineAmountMinor);
    const sk = deriveAcSessionKey(c, this.image.mkAc, atc);
    const input = cryptogramInput(CCD_AC_DATA, (tag) => (tag === "82" ? this.image.aip : tag === "9F36" ? atc : tag === "9F10" ? iad : values.get(tag)));
    const ac = applicationCryptogram(c, sk, input);
    sk.fill(0);
    const ctq = this.ctq(ttq);
    const cardUn = new Uint8Array(4);
    this.random.fill(cardUn);
    // Card Authentication Related Data: fDDA version '01', card unpredictable number, CTQ.
    const cardAuth = concat(Uint8Array.of(0x01), cardUn, ctq);
    const parts = [
      encodeTlv("82", this.image.aip), encodeTlv("94", this.image.afl), encodeTlv("9F36", atc), encodeTlv("9F27", Uint8Array.of(CID[type])),
      encodeTlv("9F26", ac), encodeTlv("9F10", iad), encodeTlv("57", track2Equivalent(this.image.profile)),
      encodeTlv("5F34", Uint8Array.of(parseInt(this.image.profile.panSequenceNumber, 16))), encodeTlv("9F6C", ctq),
      encodeTlv("9F6E", Uint8Array.of(this.image.contactless.formFactor === "phone" ? 0x22 : 0x20, 0x70, 0x00, 0x00)),
      encodeTlv("9F69", cardAuth),
    ];
    this.signsThisGpo = type === "TC" && this.image.iccKey !== undefined;
    if (this.signsThisGpo) {
      // fDDA: ICC Dynamic Data (ICC Dynamic Number = ATC) over UN || amount || currency || 9F69.
      const terminal = concat(values.get("9F37") as Uint8Array, values.get("9F02") as Uint8Array, values.get("5F2A") as Uint8Array, cardAuth);
      const sdad = signedDynamicApplicationData(this.image.iccKey as NonNullable<ContactlessImage["iccKey"]>, concat(Uint8Array.of(2), atc), terminal);
      parts.push(encodeTlv("9F4B", sdad));
    }
    return respond(SW.ok, encodeTlv("77", concat(...parts)));
  }
}
