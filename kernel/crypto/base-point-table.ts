// The base-point table of an @noble/curves curve, built when the module that needs it loads.
//
// noble multiplies the base point with a signed fixed-window table (w-bit windows: ceil(bits/w)+1
// windows of 2^(w-1) points), which it otherwise builds on the first multiplication and keeps for
// the life of the program. On the device the kernel is a preloaded module (manifest.json
// "preload"): module bodies run at build time and everything they build is stored in flash, so a
// table built here costs flash, not RAM (Moddable, "Using XS Preload to Optimize Applications",
// Pre-calculating During Preload); noble's points are frozen by their constructor, so no RAM
// alias is kept for them. Built on first use, the tables lived in RAM instead: ~113 KB of XS
// slots in the idle reader at noble's default 6-bit window.
//
// Secret multiplications use the same table where noble does not blind the scalar (no
// crypto.getRandomValues, as on XS); where it blinds (Node), it builds a wider table on first use.

/** The slice of a noble base point this needs (weierstrass and edwards points both have it). */
export interface PrecomputablePoint {
  precompute(windowBits: number, isLazy?: boolean): unknown;
  multiplyUnsafe(scalar: bigint): unknown;
}

/**
 * The window of the kernel's base-point tables: 4 bits, 520 points for a 256-bit order instead of
 * noble's 1,408 at 6 bits. Measured on XS: both tables ~4,700 slots (75 KB of flash) against
 * ~12,700 at 6 bits; an Ed25519 verification 2.06 M compute units against 1.95 M at 6 bits and
 * 3.0 M with no table at all.
 */
export const BASE_TABLE_WINDOW_BITS = 4;

/** Sets the base point's window and builds its table now (the first public multiplication builds it). */
export function buildBaseTable(base: PrecomputablePoint, windowBits: number = BASE_TABLE_WINDOW_BITS): void {
  base.precompute(windowBits, true);
  base.multiplyUnsafe(3n);
}
