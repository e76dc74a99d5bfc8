import type { MagstripeHead, MagstripeSwipe, MagstripeTrack } from "../magstripe-head";
import type { HostLink } from "./host-link";

// The magnetic head (hal/magstripe-head.ts) of the firmware on the XS engine, served by the
// simulator's virtual head: a swipe arrives as the flux intervals of each track.

export const MAGSTRIPE_HEAD = "magstripeHead";

export class BridgeMagstripeHead implements MagstripeHead {
  readonly tracks: readonly MagstripeTrack[];

  constructor(private readonly link: HostLink) {
    this.tracks = link.callSync(MAGSTRIPE_HEAD, "tracks") as MagstripeTrack[];
  }

  nextSwipe(): Promise<MagstripeSwipe | null> {
    return this.link.call(MAGSTRIPE_HEAD, "nextSwipe") as Promise<MagstripeSwipe | null>;
  }

  cancel(): void {
    this.link.callSync(MAGSTRIPE_HEAD, "cancel");
  }
}
