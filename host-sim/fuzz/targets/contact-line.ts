import type { Clock } from "../../../hal/clock";
import type { ActivationResult, ContactSlot, LineSettings, Received, ResetKind, SendResult } from "../../../hal/contact-slot";
import { encodeCommandApdu, exchangeApdu, openContactCard, type CommandApdu } from "../../../kernel/iso7816";
import { createEchoApplet } from "../../icc/echo-applet";
import type { IccFault } from "../../icc/faults";
import { createVirtualIcc } from "../../icc/virtual-icc";
import { ModeledClock } from "../../picc/modeled-clock";
import { HangError } from "./outcome";

// The contact line from the card's side, for the T=0 and T=1 targets: every character the reader
// receives (TS and the rest of the ATR, procedure bytes, T=1 blocks, data, status) comes from the
// fuzz input, in order, as a hostile or broken card would send it. The reader's engines
// (kernel/iso7816: answer to reset, EMV ATR rules, T=0, T=1) run unchanged on top.
//
// Seeds are what a well-behaved virtual ICC (host-sim/icc) really sends in a short session, with
// the line faults a real card shows (NULL bytes, S(WTX) requests, S(IFS) requests, bad LRCs), so
// mutations start from valid protocol and walk off it.

/** The reader's side of one session: activation, ATR, the protocol engine, three APDUs of the EMV cases. */
export const SESSION_APDUS: CommandApdu[] = [
  // SELECT '1PAY.SYS.DDF01' (EMV Book 1, 11.3.2): case 4.
  { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: Uint8Array.from("1PAY.SYS.DDF01", (c) => c.charCodeAt(0)), le: 256 },
  // READ RECORD 1 of SFI 1 (EMV Book 3, 6.5.11): case 2.
  { cla: 0x00, ins: 0xb2, p1: 0x01, p2: 0x0c, le: 256 },
  // VERIFY with a plaintext PIN block (EMV Book 3, 6.5.12): case 3.
  { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: Uint8Array.of(0x24, 0x12, 0x34, 0xff, 0xff, 0xff, 0xff, 0xff) },
];

/** Line operations one session may take before it counts as a hang (a real session needs < 200). */
const MAX_LINE_OPERATIONS = 20000;
/** Modeled time one session may take before it counts as a hang: far past every EMV Book 1 limit. */
const MAX_MODELED_MS = 10 * 60 * 1000;

/** The initial etu at the card clock the slot reports, µs (ISO/IEC 7816-3:2006, 7.1). */
function etuUs(settings: LineSettings, clockHz: number): number {
  return (settings.Fi / settings.Di / clockHz) * 1e6;
}

/**
 * A ContactSlot whose card sends exactly the bytes of a script: `activate` takes TS from it,
 * `receive` the next characters; once the script runs out, the card is silent (a timeout). What the
 * reader sends is accepted and counted. Time is modeled: each character takes 12 etu, a timeout
 * its whole length, so the engines' time limits hold as on a real line.
 */
export class ScriptedSlot implements ContactSlot {
  readonly clockHz = 3_571_200;
  readonly clock = new ModeledClock();
  private at = 0;
  private operations = 0;
  private settings: LineSettings = { Fi: 372, Di: 1, terminalCharEtu: 12, turnaroundEtu: 16, repeats: 0 };
  sent = 0;

  constructor(private readonly script: Uint8Array) {}

  private step(what: string): void {
    this.operations++;
    if (this.operations > MAX_LINE_OPERATIONS) throw new HangError(`contact line: more than ${MAX_LINE_OPERATIONS} line operations (${what})`);
    if (this.clock.nowMs() > MAX_MODELED_MS) throw new HangError(`contact line: session still running after ${MAX_MODELED_MS} modeled ms (${what})`);
  }

  async cardPresent(): Promise<boolean> {
    return true;
  }

  async activate(_kind: ResetKind, firstCharClocks: number): Promise<ActivationResult> {
    this.step("activate");
    this.settings = { Fi: 372, Di: 1, terminalCharEtu: 12, turnaroundEtu: 16, repeats: 0 };
    if (this.at >= this.script.length) {
      this.clock.advanceUs((firstCharClocks / this.clockHz) * 1e6);
      return { kind: "mute" };
    }
    this.clock.advanceUs((400 / this.clockHz) * 1e6);
    return { kind: "ts", ts: this.script[this.at++] };
  }

  configure(settings: LineSettings): void {
    this.settings = { ...settings };
  }

  async send(bytes: Uint8Array): Promise<SendResult> {
    this.step("send");
    this.sent += bytes.length;
    this.clock.advanceUs(bytes.length * this.settings.terminalCharEtu * etuUs(this.settings, this.clockHz));
    return "sent";
  }

  async receive(count: number, timeoutEtu: number): Promise<Received> {
    this.step("receive");
    const n = Math.max(0, Math.min(count, this.script.length - this.at));
    const bytes = this.script.slice(this.at, this.at + n);
    this.at += n;
    const etu = etuUs(this.settings, this.clockHz);
    this.clock.advanceUs(n * 12 * etu);
    if (n < count) {
      this.clock.advanceUs(timeoutEtu * etu);
      return { bytes, end: "timeout", parityErrors: 0 };
    }
    return { bytes, end: "complete", parityErrors: 0 };
  }

  async deactivate(): Promise<void> {
    this.step("deactivate");
  }
}

/** Runs the reader's side of a session over `slot`: activation, then the APDUs until the first typed error. */
export async function runReaderSession(slot: ContactSlot & { clock: Clock }): Promise<void> {
  const card = await openContactCard({ slot, clock: slot.clock });
  try {
    for (const apdu of SESSION_APDUS) {
      encodeCommandApdu(apdu);
      await exchangeApdu(card.transport, apdu);
    }
  } finally {
    await card.deactivate();
  }
}

/** A slot in front of another that writes down every character the card sends (TS included). */
class RecordingSlot implements ContactSlot {
  readonly bytes: number[] = [];
  constructor(private readonly inner: ContactSlot) {}
  get clockHz(): number {
    return this.inner.clockHz;
  }
  cardPresent(): Promise<boolean> {
    return this.inner.cardPresent();
  }
  async activate(kind: ResetKind, firstCharClocks: number): Promise<ActivationResult> {
    const r = await this.inner.activate(kind, firstCharClocks);
    if (r.kind === "ts") this.bytes.push(r.ts);
    return r;
  }
  configure(settings: LineSettings): void {
    this.inner.configure(settings);
  }
  send(bytes: Uint8Array): Promise<SendResult> {
    return this.inner.send(bytes);
  }
  async receive(count: number, timeoutEtu: number): Promise<Received> {
    const r = await this.inner.receive(count, timeoutEtu);
    for (const b of r.bytes) this.bytes.push(b);
    return r;
  }
  deactivate(): Promise<void> {
    return this.inner.deactivate();
  }
}

/** What a virtual ICC of `protocol` with `faults` sends in one reader session: a seed for the targets. */
export async function recordCardSide(protocol: 0 | 1, faults: IccFault[], atr?: string): Promise<Uint8Array> {
  const icc = createVirtualIcc({ applet: createEchoApplet({ processingUs: 2000 }), protocol, faults, atr });
  const slot = new RecordingSlot(icc);
  try {
    await runReaderSession(Object.assign(slot, { clock: icc.clock }));
  } catch {
    // A seed with a fault the reader gives up on is still a seed: the bytes up to there.
  }
  return Uint8Array.from(slot.bytes);
}
