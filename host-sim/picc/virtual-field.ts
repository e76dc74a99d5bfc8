import type {
  NfcCapabilities, NfcController, RfConfiguration, RfReception, TransceiveOptions,
} from "../../hal/nfc-controller";
import { cyclesToUs, FDT_PCD_MIN_CYCLES } from "../../kernel/iso14443/timing";
import { getBit } from "../../kernel/iso14443/type-a";
import { frameAirUs } from "./air-time";
import type { ModeledClock } from "./modeled-clock";
import type { PiccAnswer, VirtualPicc } from "./virtual-picc";

// The RF field of a virtual frame-level controller (a PN5180-like NfcController) with the cards and
// phones held in it. Every frame costs modeled time: the host interface (SPI) moving the frame to
// and from the controller, the frame on the air at the bit rate in force, the card's turnaround and
// computing time, the PCD's own guard time between frames. Several PICCs may answer at once: Type A
// answers are merged bit by bit and the first differing bit is a collision (Manchester coding makes
// it visible, ISO/IEC 14443-3:2018, 6.5.2.1); overlapping Type B answers are a framing error.
// Cards enter the field, leave it (at a time, or while computing their n-th APDU) and may come back.

export interface PlacedPicc {
  picc: VirtualPicc;
  /** Modeled time it enters the field, ms (default 0: already there). */
  enterMs?: number;
  /** Taken away: at a modeled time, or while it computes its n-th APDU (its answer is lost). */
  leave?: { atMs?: number; duringApdu?: number };
  /** Presented again this long after it left, ms. */
  returnAfterMs?: number;
}

/** Where the modeled time of the exchanges went, us. */
export interface AirTimeStats {
  frames: number;
  /** PCD frames on the air. */
  txUs: number;
  /** PICC frames on the air. */
  rxUs: number;
  /** From the end of a PCD frame to the start of the answer: turnaround and the card's computing. */
  cardUs: number;
  /** Listening in vain until a timeout. */
  timeoutUs: number;
  /** Host interface transfers and the PCD's guard time between frames. */
  controllerUs: number;
}

/** One frame exchange, for logs and tests: lengths and outcomes only, never the bytes (card data). */
export interface FieldEvent {
  atMs: number;
  technology: "A" | "B";
  sentBytes: number;
  result: RfReception["kind"];
  receivedBytes: number;
}

export interface VirtualFieldOptions {
  clock: ModeledClock;
  cards: PlacedPicc[];
  capabilities?: Partial<NfcCapabilities>;
  /** Host interface cost per frame, us (command, IRQ, FIFO read): default 150. */
  hostFrameUs?: number;
  /** Host interface cost per byte moved, us (SPI at 7 MHz plus driver): default 1.5. */
  hostByteUs?: number;
}

interface Slot {
  placed: PlacedPicc;
  leftAtMs?: number;
  returnsAtMs?: number;
}

export class VirtualField implements NfcController {
  readonly capabilities: NfcCapabilities;
  readonly stats: AirTimeStats = { frames: 0, txUs: 0, rxUs: 0, cardUs: 0, timeoutUs: 0, controllerUs: 0 };
  readonly events: FieldEvent[] = [];
  private readonly clock: ModeledClock;
  private readonly slots: Slot[];
  private readonly hostFrameUs: number;
  private readonly hostByteUs: number;
  private config: RfConfiguration = { technology: "A", txKbps: 106, rxKbps: 106 };
  private on = false;
  private lastRxEndUs = -Infinity;

  constructor(options: VirtualFieldOptions) {
    this.clock = options.clock;
    this.slots = options.cards.map((placed) => ({ placed }));
    this.capabilities = {
      technologies: options.capabilities?.technologies ?? ["A", "B"],
      bitRatesKbps: options.capabilities?.bitRatesKbps ?? [106, 212, 424, 848],
      maxFrameBytes: options.capabilities?.maxFrameBytes ?? 260,
    };
    this.hostFrameUs = options.hostFrameUs ?? 150;
    this.hostByteUs = options.hostByteUs ?? 1.5;
  }

  async fieldOn(): Promise<void> {
    this.on = true;
    for (const s of this.slots) if (this.present(s)) s.placed.picc.powerOn();
  }

  async fieldOff(): Promise<void> {
    this.on = false;
    for (const s of this.slots) s.placed.picc.powerOff();
  }

  async configure(configuration: RfConfiguration): Promise<void> {
    this.config = { ...configuration };
  }

  /** The technology and bit rates in force. */
  get configuration(): RfConfiguration {
    return { ...this.config };
  }

  /** True while the card is held in the field at the current modeled time. */
  present(s: Slot): boolean {
    const now = this.clock.nowMs();
    if (s.leftAtMs === undefined && s.placed.leave?.atMs !== undefined && now >= s.placed.leave.atMs) this.markLeft(s, s.placed.leave.atMs);
    return this.presentAt(s, now);
  }

  /** Whether the card is in the field at `ms`, by what is known of its comings and goings now. */
  private presentAt(s: Slot, ms: number): boolean {
    if (ms < (s.placed.enterMs ?? 0)) return false;
    const left = s.leftAtMs ?? s.placed.leave?.atMs;
    if (left === undefined || ms < left) return true;
    const back = s.returnsAtMs ?? (s.placed.returnAfterMs !== undefined ? left + s.placed.returnAfterMs : undefined);
    return back !== undefined && ms >= back;
  }

  private markLeft(s: Slot, atMs: number): void {
    s.leftAtMs = atMs;
    if (s.placed.returnAfterMs !== undefined) s.returnsAtMs = atMs + s.placed.returnAfterMs;
  }

  /** Powers cards that came into the field and unpowers those that left. */
  private updatePresence(): void {
    for (const s of this.slots) {
      const here = this.on && this.present(s);
      if (here && !s.placed.picc.powered) s.placed.picc.powerOn();
      if (!here && s.placed.picc.powered) s.placed.picc.powerOff();
    }
  }

  private spend(us: number, bucket: keyof Omit<AirTimeStats, "frames">): void {
    this.clock.advanceUs(us);
    this.stats[bucket] += us;
  }

  async transceive(frame: Uint8Array, options: TransceiveOptions): Promise<RfReception> {
    if (!this.on) throw new Error("virtual field: transceive with the field off");
    this.updatePresence();
    this.stats.frames++;
    const tech = this.config.technology;
    // The PCD's guard time after the previous answer, then the host moving the frame to the FIFO.
    const sinceRx = this.clock.nowUs() - this.lastRxEndUs;
    const guard = cyclesToUs(FDT_PCD_MIN_CYCLES);
    if (sinceRx < guard) this.spend(guard - sinceRx, "controllerUs");
    this.spend(this.hostFrameUs + frame.length * this.hostByteUs, "controllerUs");
    const bits = options.txBits ?? frame.length * 8;
    this.spend(frameAirUs(tech, this.config.txKbps, bits + (options.crc ? 16 : 0)), "txUs");

    const answers: { slot: Slot; answer: PiccAnswer }[] = [];
    for (const s of this.slots) {
      const picc = s.placed.picc;
      if (!picc.powered || picc.technology !== tech || picc.rxKbps !== this.config.txKbps) continue;
      const before = picc.apduCount;
      const answer = picc.receive({ bytes: frame, bits, crc: options.crc }, this.clock.nowUs());
      const during = s.placed.leave?.duringApdu;
      if (during !== undefined && s.leftAtMs === undefined && before < during && picc.apduCount >= during) {
        // Taken away while computing this APDU: the answer never comes.
        this.markLeft(s, this.clock.nowMs());
        picc.powerOff();
        continue;
      }
      if (answer) answers.push({ slot: s, answer });
    }
    const result = this.resolve(answers, options);
    this.events.push({
      atMs: this.clock.nowMs(), technology: tech, sentBytes: frame.length, result: result.kind,
      receivedBytes: result.kind === "frame" || result.kind === "collision" ? result.bytes.length : 0,
    });
    this.updatePresence();
    return result;
  }

  private resolve(answers: { slot: Slot; answer: PiccAnswer }[], options: TransceiveOptions): RfReception {
    // An answer that starts after the PCD stopped listening, or after its card left, is lost.
    const startUs = this.clock.nowUs();
    const heard = answers.filter(({ slot, answer }) => {
      if (answer.delayUs > options.timeoutUs) return false;
      return this.presentAt(slot, (startUs + answer.delayUs) / 1000);
    });
    if (heard.length === 0) {
      this.spend(options.timeoutUs, "timeoutUs");
      return { kind: "timeout" };
    }
    const delay = Math.min(...heard.map((h) => h.answer.delayUs));
    this.spend(delay, "cardUs");
    const tech = this.config.technology;
    const first = heard[0].answer;
    const airBits = Math.max(...heard.map((h) => h.answer.bits + (h.answer.crc ? 16 : 0)));
    this.spend(frameAirUs(tech, this.config.rxKbps, airBits), "rxUs");
    this.lastRxEndUs = this.clock.nowUs();
    this.spend(this.hostFrameUs + Math.ceil(airBits / 8) * this.hostByteUs, "controllerUs");
    if (heard.some((h) => h.answer.kbps !== this.config.rxKbps)) return { kind: "transmission-error", cause: "framing" };
    if (heard.length > 1) {
      if (tech === "B") return { kind: "transmission-error", cause: "framing" };
      const at = firstDifference(heard.map((h) => h.answer));
      if (at >= 0) return { kind: "collision", bytes: first.bytes.slice(0, Math.ceil(at / 8)), bits: at };
    }
    if (options.crc !== first.crc) return { kind: "transmission-error", cause: "crc" };
    return { kind: "frame", bytes: first.bytes.slice(), bits: first.bits };
  }
}

/** The first bit where the answers differ (CRC bits count as data), or -1 when all are equal. */
function firstDifference(answers: PiccAnswer[]): number {
  const n = Math.max(...answers.map((a) => a.bits));
  const bitOf = (a: PiccAnswer, i: number) => (i < a.bits ? getBit(a.bytes, i) : a.crc ? 2 : 3);
  for (let i = 0; i < n; i++) {
    const b = bitOf(answers[0], i);
    for (let k = 1; k < answers.length; k++) if (bitOf(answers[k], i) !== b) return i;
  }
  // Equal payloads with a CRC on one and not the other still differ after the payload.
  for (let k = 1; k < answers.length; k++) if (answers[k].crc !== answers[0].crc) return n;
  return -1;
}

