import type { Clock } from "../../hal/clock";
import type { BitRateKbps, NfcController, RfTechnology } from "../../hal/nfc-controller";
import { selectTypeA } from "./anticollision";
import { chooseBitRate, isPpsResponse, parseAts, PCD_FSDI, ppsFrame, ratsFrame, frameSize, type Ats, type BitRateChoice } from "./ats";
import { RfFrameError } from "./errors";
import { IsoDepSession } from "./iso-dep";
import type { Pcd, PcdOptions, PollResult } from "./pcd";
import {
  ACTIVATION_TIMEOUT_US, ATQB_TIMEOUT_US, cyclesToUs, deltaSfgtCycles, FIELD_RESET_MS, HLTA_LISTEN_US, POLLING_GUARD_MS,
  sfgtCycles, TYPE_A_SHORT_TIMEOUT_US,
} from "./timing";
import { HLTA, parseAtqa, requestFrame, SHORT_FRAME_BITS } from "./type-a";
import { attribFrame, checkAttribAnswer, parseAtqb, requestBFrame, type Atqb } from "./type-b";

// The PCD main loop of EMV Contactless Book D over a frame-level controller:
// - polling: WUPA (then HLTA to park whatever answered), t_P, WUPB, t_P, again, until something
//   answers (any answer counts, even a damaged one);
// - collision detection: Type A and Type B both answered, or the Type A ATQA / anticollision shows
//   a collision, or the Type B ATQB arrives damaged: more than one card, report a collision;
// - activation: Type A select sequence, RATS/ATS (and PPS); Type B ATTRIB. A failure resets the
//   field and polling goes on;
// - removal: after the transaction, field reset, then poll until no card answers three times running.
// Bit rates above 106 kbit/s are chosen with PPS (ISO/IEC 14443-4:2016, 5.3) or in ATTRIB
// (ISO/IEC 14443-3:2018, 7.10.4) when the card and the controller allow and the options do.

type Activation = PollResult | { kind: "error" };

const ms = (us: number) => us / 1000;

export class HostPcd implements Pcd {
  private readonly controller: NfcController;
  private readonly clock: Clock;
  private readonly highBitRates: boolean;
  private fieldOn = false;

  constructor(options: PcdOptions) {
    this.controller = options.controller;
    this.clock = options.clock;
    this.highBitRates = options.highBitRates !== false;
  }

  async poll(timeoutMs: number): Promise<PollResult> {
    const deadline = this.clock.nowMs() + timeoutMs;
    if (!this.fieldOn) await this.switchOn();
    while (this.clock.nowMs() < deadline) {
      const found = await this.pollOnce();
      if (!found.a && !found.b) {
        await this.clock.sleep(POLLING_GUARD_MS);
        continue;
      }
      // Both technologies answered: two cards (collision detection).
      if (found.a && found.b) return { kind: "collision" };
      const r = found.a ? await this.activateTypeA() : await this.activateTypeB();
      if (r.kind !== "error") return r;
      // Activation failed (a card at the edge of the field, a non-ISO-DEP card): reset and poll on.
      await this.resetField();
    }
    return { kind: "no-card" };
  }

  async awaitRemoval(timeoutMs: number): Promise<"removed" | "present"> {
    const deadline = this.clock.nowMs() + timeoutMs;
    await this.resetField();
    let quiet = 0;
    while (this.clock.nowMs() < deadline) {
      const found = await this.pollOnce();
      quiet = found.a || found.b ? 0 : quiet + 1;
      if (quiet >= 3) return "removed";
      await this.clock.sleep(POLLING_GUARD_MS);
    }
    return "present";
  }

  async resetField(): Promise<void> {
    await this.controller.fieldOff();
    this.fieldOn = false;
    await this.clock.sleep(FIELD_RESET_MS);
    await this.switchOn();
  }

  async close(): Promise<void> {
    await this.controller.fieldOff();
    this.fieldOn = false;
  }

  private async switchOn(): Promise<void> {
    await this.controller.fieldOn();
    this.fieldOn = true;
    await this.clock.sleep(POLLING_GUARD_MS);
  }

  private async configure(technology: RfTechnology, txKbps: BitRateKbps = 106, rxKbps: BitRateKbps = 106): Promise<void> {
    await this.controller.configure({ technology, txKbps, rxKbps });
  }

  /** One round of the polling loop: did anything answer WUPA, WUPB? */
  private async pollOnce(): Promise<{ a: boolean; b: boolean }> {
    let a = false;
    let b = false;
    if (this.controller.capabilities.technologies.indexOf("A") >= 0) {
      await this.configure("A");
      const wupa = await this.controller.transceive(requestFrame(true), { crc: false, txBits: SHORT_FRAME_BITS, timeoutUs: TYPE_A_SHORT_TIMEOUT_US });
      a = wupa.kind !== "timeout";
      if (a) await this.controller.transceive(HLTA, { crc: true, timeoutUs: HLTA_LISTEN_US });
      await this.clock.sleep(POLLING_GUARD_MS);
    }
    if (this.controller.capabilities.technologies.indexOf("B") >= 0) {
      await this.configure("B");
      const wupb = await this.controller.transceive(requestBFrame(true), { crc: true, timeoutUs: ATQB_TIMEOUT_US });
      b = wupb.kind !== "timeout";
    }
    return { a, b };
  }

  private async activateTypeA(): Promise<Activation> {
    await this.clock.sleep(POLLING_GUARD_MS);
    await this.configure("A");
    const wupa = await this.controller.transceive(requestFrame(true), { crc: false, txBits: SHORT_FRAME_BITS, timeoutUs: TYPE_A_SHORT_TIMEOUT_US });
    if (wupa.kind === "timeout") return { kind: "error" };
    // Collision detection: a collided or damaged ATQA means more than one card.
    if (wupa.kind !== "frame") return { kind: "collision" };
    try {
      parseAtqa(wupa.bytes);
    } catch (e) {
      if (e instanceof RfFrameError) return { kind: "error" };
      throw e;
    }
    const selection = await selectTypeA(this.controller, false);
    if (selection.kind === "collision") return { kind: "collision" };
    if (selection.kind !== "selected" || !selection.sak.isoDep) return { kind: "error" };
    // ISO/IEC 14443-4:2016, 5.1: RATS with FSDI and CID 0 (an EMV PCD addresses one card, without CID).
    const rx = await this.controller.transceive(ratsFrame(PCD_FSDI, 0), { crc: true, timeoutUs: ACTIVATION_TIMEOUT_US });
    if (rx.kind !== "frame") return { kind: "error" };
    let ats: Ats;
    try {
      ats = parseAts(rx.bytes);
    } catch (e) {
      if (e instanceof RfFrameError) return { kind: "error" };
      throw e;
    }
    // 5.2.5: no frame before SFGT (+ the EMV delta) has passed.
    await this.clock.sleep(ms(cyclesToUs(sfgtCycles(ats.sfgi) + deltaSfgtCycles(ats.sfgi))));
    let rate: BitRateChoice = { dsi: 0, dri: 0, txKbps: 106, rxKbps: 106 };
    if (this.highBitRates) {
      const choice = chooseBitRate(ats.bitRates, this.controller.capabilities.bitRatesKbps);
      if (choice.dsi !== 0 || choice.dri !== 0) {
        const pps = await this.controller.transceive(ppsFrame(0, choice), { crc: true, timeoutUs: ACTIVATION_TIMEOUT_US });
        if (pps.kind !== "frame" || !isPpsResponse(pps.bytes, 0)) return { kind: "error" };
        rate = choice;
        await this.configure("A", rate.txKbps, rate.rxKbps);
      }
    }
    const transport = new IsoDepSession({ controller: this.controller, parameters: { fsc: ats.fsc, fsd: frameSize(PCD_FSDI), fwi: ats.fwi } });
    return {
      kind: "activated",
      card: { technology: "A", identifier: selection.uid, answer: rx.bytes.slice(), bitRate: { txKbps: rate.txKbps, rxKbps: rate.rxKbps } },
      transport,
    };
  }

  private async activateTypeB(): Promise<Activation> {
    await this.clock.sleep(POLLING_GUARD_MS);
    await this.configure("B");
    const wupb = await this.controller.transceive(requestBFrame(true), { crc: true, timeoutUs: ATQB_TIMEOUT_US });
    if (wupb.kind === "timeout") return { kind: "error" };
    // Collision detection: a damaged ATQB (two Type B cards answering at once) is a collision.
    if (wupb.kind !== "frame") return { kind: "collision" };
    let atqb: Atqb;
    try {
      atqb = parseAtqb(wupb.bytes);
    } catch (e) {
      if (e instanceof RfFrameError) return { kind: "error" };
      throw e;
    }
    if (!atqb.isoDep) return { kind: "error" };
    const rate: BitRateChoice = this.highBitRates
      ? chooseBitRate(atqb.bitRates, this.controller.capabilities.bitRatesKbps)
      : { dsi: 0, dri: 0, txKbps: 106, rxKbps: 106 };
    const rx = await this.controller.transceive(attribFrame(atqb.pupi, PCD_FSDI, rate.dsi, rate.dri, 0), { crc: true, timeoutUs: ACTIVATION_TIMEOUT_US });
    if (rx.kind !== "frame" || !checkAttribAnswer(rx.bytes, 0)) return { kind: "error" };
    await this.configure("B", rate.txKbps, rate.rxKbps);
    await this.clock.sleep(ms(cyclesToUs(sfgtCycles(atqb.sfgi) + deltaSfgtCycles(atqb.sfgi))));
    const transport = new IsoDepSession({ controller: this.controller, parameters: { fsc: atqb.fsc, fsd: frameSize(PCD_FSDI), fwi: atqb.fwi } });
    return {
      kind: "activated",
      card: { technology: "B", identifier: atqb.pupi, answer: wupb.bytes.slice(), bitRate: { txKbps: rate.txKbps, rxKbps: rate.rxKbps } },
      transport,
    };
  }
}
