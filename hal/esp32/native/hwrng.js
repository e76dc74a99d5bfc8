/* The ESP32's hardware random number generator (hwrng.c), typed by hwrng.d.ts. */
export function fill(buffer) @ "xs_hwrng_fill";
