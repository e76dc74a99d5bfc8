import FluxCapture from "fluxcapture";
import Timer from "timer";
import type { MagstripeHead, MagstripeSwipe, MagstripeTrack, TrackCapture } from "../magstripe-head";

// The magnetic head (hal/magstripe-head.ts) on the ESP32's RMT: one receive channel per track on
// its peak detector's output (native/fluxcapture.c), with the numbers hal/magstripe-head.ts
// derives: 2 MHz ticks (0.5 us, about 1 % of the shortest half cell of 40 us), an idle threshold
// just under the 15-bit field's 16.4 ms (the longest cell is 4.4 ms) that ends a capture once the
// card has left the head, and a 2 us glitch filter. A swipe is delivered once every armed track has
// ended its capture, or SWIPE_SETTLE_MS after the first one did (a blank track never starts one).
// The reader's head is read on tracks 1 and 2 only: payment cards carry their data there (ISO/IEC
// 7813, 4 and 5); track 3 is not used by the payment networks and is not wired.

export interface RmtHeadOptions {
  /** Peak-detector outputs of tracks 1 and 2 (a missing track: absent). */
  track1?: number;
  track2?: number;
  /** Tick rate, Hz (default 2 MHz). */
  resolutionHz?: number;
  /** RX channels with DMA (ESP32-S3): a whole 210 bpi track in memory. */
  dma: boolean;
}

/** A track of ~3.4 in at 210 bpi has ~1,400 transitions (700 symbols); room for slow, jittery swipes. */
const SYMBOLS = 2048;
const IDLE_NS = 16_000_000;
const GLITCH_NS = 2_000;
/** After the first track ends, how long the others may take (they run under the same card), ms. */
const SWIPE_SETTLE_MS = 300;

interface Channel {
  track: MagstripeTrack;
  capture: FluxCapture;
  durations: number;
}

export class RmtMagstripeHead implements MagstripeHead {
  readonly tracks: readonly MagstripeTrack[];
  private readonly channels: Channel[] = [];
  private readonly usPerTick: number;
  private pending: ((swipe: MagstripeSwipe | null) => void) | null = null;
  private settle: Timer | null = null;

  constructor(options: RmtHeadOptions) {
    const resolutionHz = options.resolutionHz ?? 2_000_000;
    this.usPerTick = 1e6 / resolutionHz;
    const pins: [MagstripeTrack, number | undefined][] = [[1, options.track1], [2, options.track2]];
    for (const [track, pin] of pins) {
      if (pin === undefined) continue;
      const channel: Channel = { track, durations: -1, capture: undefined as unknown as FluxCapture };
      channel.capture = new FluxCapture({
        pin, resolutionHz, symbols: SYMBOLS, idleNs: IDLE_NS, glitchNs: GLITCH_NS, dma: options.dma,
        onCapture: (durations) => this.captured(channel, durations),
      });
      this.channels.push(channel);
    }
    this.tracks = this.channels.map((c) => c.track);
  }

  nextSwipe(): Promise<MagstripeSwipe | null> {
    if (this.pending) return Promise.reject(new Error("magstripe head: one nextSwipe() at a time"));
    for (const c of this.channels) {
      c.durations = -1;
      c.capture.arm();
    }
    return new Promise((resolve) => { this.pending = resolve; });
  }

  cancel(): void {
    const pending = this.pending;
    this.pending = null;
    if (this.settle) Timer.clear(this.settle);
    this.settle = null;
    if (pending) pending(null);
  }

  private captured(channel: Channel, durations: number): void {
    if (!this.pending) return;
    channel.durations = durations;
    if (this.channels.every((c) => c.durations >= 0)) this.deliver();
    else if (!this.settle) this.settle = Timer.set(() => this.deliver(), SWIPE_SETTLE_MS);
  }

  private deliver(): void {
    if (this.settle) Timer.clear(this.settle);
    this.settle = null;
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    const tracks: TrackCapture[] = this.channels.map((c) => {
      if (c.durations <= 0) return { track: c.track, kind: "flux", intervalsUs: [] };
      const ticks = new Uint16Array(c.durations);
      const n = c.capture.read(ticks);
      const intervalsUs = new Float64Array(n);
      for (let i = 0; i < n; i++) intervalsUs[i] = ticks[i] * this.usPerTick;
      return { track: c.track, kind: "flux", intervalsUs };
    });
    pending({ tracks });
  }
}
