// The inverse convention (ISO/IEC 7816-3:2006, 8.1): state Z is logic 0 and the most significant
// bit comes first. A UART receiving in the direct convention (LSB first, Z = 1) reads an inverse
// character as its bits reversed and complemented; the same mapping turns it back. Slot drivers
// that run a plain UART use it in both directions after TS announced the inverse convention.

const TABLE: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    let r = 0;
    for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 1 << (7 - i);
    t[b] = ~r & 0xff;
  }
  return t;
})();

/** Converts a character between the inverse convention and a direct-convention UART's reading. */
export function inverseConventionByte(byte: number): number {
  return TABLE[byte & 0xff];
}

/** The same for a whole buffer (a new array). */
export function inverseConvention(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = TABLE[bytes[i]];
  return out;
}

/**
 * TS as a direct-convention UART reads it: '3B' for the direct convention; '03' for the inverse
 * one ("(Z)AZZAAAAAAZ": start bit A, then Z Z A A A A A A), which decodes to '3F'.
 */
export function conventionOfRawTs(raw: number): "direct" | "inverse" | null {
  if (raw === 0x3b) return "direct";
  if (raw === 0x03) return "inverse";
  return null;
}
