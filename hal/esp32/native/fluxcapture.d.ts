// The native module fluxcapture (fluxcapture.c, fluxcapture.js): one RMT receive channel capturing
// the intervals between flux transitions of one magnetic track.
declare module "fluxcapture" {
  export interface FluxCaptureOptions {
    /** GPIO of the track's peak-detector output. */
    pin: number;
    /** Tick rate of the durations, Hz (1 to 10 MHz). */
    resolutionHz: number;
    /** Capacity in RMT symbols (two durations each). */
    symbols: number;
    /** A level longer than this ends the capture, ns. */
    idleNs: number;
    /** Pulses shorter than this are dropped by the hardware filter, ns. */
    glitchNs: number;
    /** Use the RX channel's DMA (ESP32-S3): the whole capture in memory, not one 64-symbol block. */
    dma?: boolean;
    /** Called once a capture ended, with the number of durations to read. */
    onCapture(durations: number): void;
  }

  export default class FluxCapture {
    constructor(options: FluxCaptureOptions);
    onCapture: (durations: number) => void;
    /** Starts a capture (no effect while one is armed). */
    arm(): void;
    /** Copies the last capture's durations (ticks) into `buffer`; returns how many. */
    read(buffer: Uint16Array): number;
    close(): void;
  }
}
