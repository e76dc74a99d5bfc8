import type { FrameDirection } from "../gatt/loopback";
import { bytesAsText, scanText, type LeakHit, type SecretSet } from "./scan";

// The leak check as a run goes (issue 12, item 4; the firmware soak, host-sim/soak/firmware-soak.ts):
// one scanner the run's channels feed - BLE frames on the air both ways as plain bytes (the loopback's
// tap), what the phone's session decrypts (events, outcomes, the authorisation data it relays,
// held outcomes, reversal records), the firmware's console lines, the reader's screens. It counts
// what each channel carried, so a report shows the scan saw something, and keeps the hits (a hit
// names the secret's label, never the secret).

/** Hits kept at most: a leak repeats at every payment. */
const MAX_HITS = 50;

/** JSON with bytes as hex, so binary fields are scanned with the same needles as frames. */
export function valueAsText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? bytesAsText(v) : v));
}

export class ChannelScanner {
  readonly leaks: LeakHit[] = [];
  /** What each channel carried: frames, messages, lines, screens. */
  readonly counts: Record<string, number> = {};
  /** Bytes of the BLE frames, both ways. */
  frameBytes = 0;

  constructor(private readonly secrets: SecretSet) {}

  /** Scans `text`, one item of `channel`. */
  text(channel: string, text: string): void {
    this.counts[channel] = (this.counts[channel] ?? 0) + 1;
    if (this.leaks.length >= MAX_HITS) return;
    for (const hit of scanText(this.secrets, channel, text)) this.leaks.push(hit);
  }

  /** Scans a value (a decrypted message) as JSON, its bytes as hex. */
  value(channel: string, value: unknown): void {
    this.text(channel, valueAsText(value));
  }

  /** A BLE frame on the air, as plain bytes. */
  frame(direction: FrameDirection, frame: Uint8Array): void {
    this.frameBytes += frame.length;
    this.text(`BLE frame ${direction}`, bytesAsText(frame));
  }

  /** The loopback's tap (host-sim/gatt/loopback.ts) that scans every frame and delivers it unchanged. */
  readonly tap = (direction: FrameDirection, frame: Uint8Array): Uint8Array[] => {
    this.frame(direction, frame);
    return [frame];
  };
}
