import type { NfcCapabilities, NfcController, RfConfiguration, RfReception, TransceiveOptions } from "../../../hal/nfc-controller";
import { fromHex, toHex } from "../../../kernel/bytes";
import { createPcd } from "../../../kernel/iso14443";
import { exchangeApdu, type CommandApdu } from "../../../kernel/iso7816";
import { createEchoApplet } from "../../icc/echo-applet";
import { ModeledClock } from "../../picc/modeled-clock";
import { VirtualField } from "../../picc/virtual-field";
import { VirtualPicc } from "../../picc/virtual-picc";
import type { FuzzTarget } from "../fuzz-target";
import corpus from "./corpus/iso-dep.json";
import { HangError, isTypedError, joinRecords, splitRecords } from "./outcome";

// Frames from the field through the reader's ISO/IEC 14443-3 activation and the ISO-DEP block
// protocol of ISO/IEC 14443-4 (kernel/iso14443, HostPcd over a frame-level controller): the fuzz
// input is every answer the PICC side gives in one tap - ATQA, UID and SAK of the anticollision,
// ATS, PPS response, I-, R- and S-blocks - one record each (a two-byte length first, see outcome.ts), coded:
//   first byte 'FF': no answer (timeout); 'FE': a transmission error (CRC, parity);
//   'FD' n: a Type A collision after n valid bits, the bytes after it;
//   any other n (0-7): a frame whose last byte has n valid bits (0: all 8), the bytes after it.
// Seeds (corpus/iso-dep.json) are the answers of the simulator's virtual PICCs in real taps,
// recorded by `recordIsoDepSeeds` below; a test checks the corpus still matches the recording.

/** The reader's side of one tap: poll, activate, two APDUs (one with a response longer than a frame), deselect. */
const TAP_APDUS: CommandApdu[] = [
  { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: Uint8Array.from("2PAY.SYS.DDF01", (c) => c.charCodeAt(0)), le: 256 },
  { cla: 0x80, ins: 0xca, p1: 0x9f, p2: 0x17, le: 256 },
];

const MAX_FRAMES = 5000;
const MAX_MODELED_MS = 10 * 60 * 1000;

/** The PICC answers of `input`, frame by frame, through the NfcController HAL. */
export class ScriptedField implements NfcController {
  readonly capabilities: NfcCapabilities = { technologies: ["A", "B"], bitRatesKbps: [106, 212, 424, 848], maxFrameBytes: 260 };
  readonly clock = new ModeledClock();
  private readonly answers: Uint8Array[];
  private next = 0;
  private frames = 0;

  constructor(input: Uint8Array) {
    this.answers = splitRecords(input, MAX_FRAMES, 2);
  }

  async fieldOn(): Promise<void> {}
  async fieldOff(): Promise<void> {}
  async configure(_configuration: RfConfiguration): Promise<void> {}

  async transceive(frame: Uint8Array, options: TransceiveOptions): Promise<RfReception> {
    if (++this.frames > MAX_FRAMES) throw new HangError(`ISO-DEP: more than ${MAX_FRAMES} frames in one tap`);
    if (this.clock.nowMs() > MAX_MODELED_MS) throw new HangError(`ISO-DEP: tap still running after ${MAX_MODELED_MS} modeled ms`);
    // About 10 µs a byte on the air at 106 kbit/s (ISO/IEC 14443-2: 128/fc a bit).
    this.clock.advanceUs(frame.length * 10 + 100);
    const answer = this.next < this.answers.length ? this.answers[this.next++] : new Uint8Array([0xff]);
    const r = decodeAnswer(answer);
    if (r.kind === "timeout") this.clock.advanceUs(options.timeoutUs);
    else if (r.kind === "frame") this.clock.advanceUs(r.bytes.length * 10);
    return r;
  }
}

/** A PICC answer as coded in the inputs (see the head of this file). */
export function decodeAnswer(answer: Uint8Array): RfReception {
  if (answer.length === 0 || answer[0] === 0xff) return { kind: "timeout" };
  if (answer[0] === 0xfe) return { kind: "transmission-error", cause: "crc" };
  if (answer[0] === 0xfd) {
    const bits = answer.length > 1 ? answer[1] : 0;
    const bytes = answer.slice(2);
    return { kind: "collision", bytes, bits: Math.min(bits, bytes.length * 8) };
  }
  const bytes = answer.slice(1);
  const lastBits = answer[0] & 7;
  const bits = bytes.length === 0 ? 0 : lastBits === 0 ? bytes.length * 8 : (bytes.length - 1) * 8 + lastBits;
  return { kind: "frame", bytes, bits };
}

/** The inverse of decodeAnswer. */
export function encodeAnswer(r: RfReception): Uint8Array {
  if (r.kind === "timeout") return Uint8Array.of(0xff);
  if (r.kind === "transmission-error") return Uint8Array.of(0xfe);
  if (r.kind === "collision") return Uint8Array.of(0xfd, r.bits, ...r.bytes);
  return Uint8Array.of(r.bits % 8, ...r.bytes);
}

/** One tap on `controller`: the reader's side, until the first typed error. */
export async function runTap(controller: NfcController, clock: ModeledClock): Promise<void> {
  const pcd = createPcd({ controller, clock });
  try {
    const polled = await pcd.poll(500);
    if (polled.kind !== "activated") return;
    for (const apdu of TAP_APDUS) await exchangeApdu(polled.transport, apdu);
    await polled.transport.deselect();
  } finally {
    await pcd.close();
  }
}

/**
 * A controller in front of a real one that writes down every answer, coded as the targets read it,
 * and gives `answer` instead of the real one to the `replace`-th frame (from 1; 0: none). More than
 * MAX_FRAMES frames is a hang.
 */
export class AnswerField implements NfcController {
  readonly answers: Uint8Array[] = [];
  private frames = 0;
  constructor(private readonly inner: NfcController, private readonly replace = 0, private readonly answer: Uint8Array | null = null) {}
  get capabilities(): NfcCapabilities {
    return this.inner.capabilities;
  }
  fieldOn(): Promise<void> {
    return this.inner.fieldOn();
  }
  fieldOff(): Promise<void> {
    return this.inner.fieldOff();
  }
  configure(c: RfConfiguration): Promise<void> {
    return this.inner.configure(c);
  }
  async transceive(frame: Uint8Array, options: TransceiveOptions): Promise<RfReception> {
    if (++this.frames > MAX_FRAMES) throw new HangError(`ISO-DEP: more than ${MAX_FRAMES} frames in one tap`);
    const r = await this.inner.transceive(frame, options);
    this.answers.push(encodeAnswer(r));
    return this.frames === this.replace && this.answer ? decodeAnswer(this.answer) : r;
  }
}

/**
 * The seed corpus: real taps of virtual PICCs (Type A and B, a 4- and a 7-byte UID, higher bit
 * rates, a small frame size so responses chain, a slow card that asks for S(WTX)), answered by the
 * echo applet (a 256-byte answer to GET DATA, longer than a 64-byte frame). Hex of the length-prefixed records.
 */
export async function recordIsoDepSeeds(): Promise<string[]> {
  const cards: ConstructorParameters<typeof VirtualPicc>[0][] = [
    { technology: "A", identifier: fromHex("08A1B2C3"), applet: createEchoApplet(), bitRates: 0x33 },
    { technology: "A", identifier: fromHex("04112233445566"), applet: createEchoApplet(), fsci: 2 },
    { technology: "B", identifier: fromHex("1A2B3C4D"), applet: createEchoApplet(), bitRates: 0x11 },
    { technology: "A", identifier: fromHex("08C0FFEE"), applet: createEchoApplet({ processingUs: 60000 }), fwi: 4 },
  ];
  const out: string[] = [];
  for (const options of cards) {
    const clock = new ModeledClock();
    const field = new AnswerField(new VirtualField({ clock, cards: [{ picc: new VirtualPicc(options) }] }));
    await runTap(field, clock);
    out.push(toHex(joinRecords(field.answers, 2)));
  }
  return out;
}

export const isoDepTarget: FuzzTarget = {
  name: "iso14443-isodep",
  seeds: () => (corpus as { seeds: string[] }).seeds.map(fromHex),
  maxLength: 2048,
  run: (input) => {
    const field = new ScriptedField(input);
    return runTap(field, field.clock);
  },
  isDefinedError: isTypedError,
};
