// The native module hwrng (hwrng.c, hwrng.js): the ESP32's hardware random number generator.
declare module "hwrng" {
  /** Fills every byte of `buffer` from the hardware RNG. */
  export function fill(buffer: Uint8Array): void;
}
