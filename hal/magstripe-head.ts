/**
 * The magnetic stripe read head: up to three channels (tracks 1, 2, 3), each an amplifier and a
 * peak detector whose digital output toggles at every flux transition on the stripe. One swipe
 * yields, per track, the intervals between successive transitions in microseconds, in the order
 * they passed the head; the kernel (kernel/magstripe) does all decoding: F2F, direction, parity,
 * LRC, layout. A head built on a decoder chip that already delivers bits (F2F done in hardware)
 * hands over bits instead; the kernel takes either.
 *
 * ESP32 driver (issue 10), capture with the RMT peripheral in receive mode, one RX channel per
 * track, the peak detector's output on the channel's GPIO:
 * - every edge of that signal is a flux transition, so the RMT's level durations (two per
 *   `rmt_symbol_word_t`, high and low alternating) are exactly `intervalsUs`, in order;
 * - `resolution_hz` of 2 MHz: 0.5 us ticks, about 1 % of the shortest half cell (40 us at 60 ips on
 *   a 210 bpi track), while the 15-bit duration field still spans 16.4 ms, well above the longest
 *   cell (4.4 ms, a zero at 3 ips on 75 bpi track 2);
 * - `signal_range_max_ns` (idle threshold) just under that span ends the capture when the card
 *   has left the head; `signal_range_min_ns` (the hardware glitch filter, a few microseconds at
 *   most) drops the narrowest spikes; the kernel merges the wider ones;
 * - sizing: a full track 1 or 3 is up to ~1,400 durations (~700 symbols). The ESP32-S3 gives an RX
 *   channel DMA for that; on the classic ESP32 (no RMT DMA, 64 symbols per channel block) a
 *   channel must borrow blocks from its neighbours, or the board uses a decoder chip (bits) for
 *   the 210 bpi tracks;
 * - the capture is armed when the head is enabled; the first edge on any track starts a swipe, and
 *   the swipe is delivered once every armed channel has gone idle.
 * Like Moddable's drivers, the ESP32 class takes one options object: `{ track1, track2 (GPIO pins,
 * or undefined for an unwired track), resolutionHz, onSwipe }`; the reference board does not wire
 * track 3 (the payment networks use tracks 1 and 2, ISO/IEC 7813).
 */
export type MagstripeTrack = 1 | 2 | 3;

/** One track of one swipe, as captured. */
export type TrackCapture =
  /** Flux-transition intervals in microseconds, in arrival order; empty for a blank track. */
  | { track: MagstripeTrack; kind: "flux"; intervalsUs: ArrayLike<number> }
  /** Bits from a decoder chip, one per byte (0 or 1), in arrival order (no F2F left to do). */
  | { track: MagstripeTrack; kind: "bits"; bits: Uint8Array };

/** Everything one pass of a card over the head produced, one entry per wired track. */
export interface MagstripeSwipe {
  tracks: TrackCapture[];
}

export interface MagstripeHead {
  /** The tracks this head has channels for (a two-track head: [1, 2]). */
  readonly tracks: readonly MagstripeTrack[];
  /**
   * Arms the head and resolves with the next complete swipe, or with null when `cancel()` is
   * called first. One pending call at a time.
   */
  nextSwipe(): Promise<MagstripeSwipe | null>;
  /** Disarms the head; a pending `nextSwipe()` resolves with null. */
  cancel(): void;
}
