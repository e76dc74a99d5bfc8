// The Visa PIN Verification Value (PVV), the issuer's way of checking a PIN without storing it:
// the Transformed Security Parameter TSP = the 11 rightmost PAN digits without the check digit ||
// the PIN Verification Key Index (1 digit) || the 4 leftmost PIN digits, enciphered with TDES under
// the PIN Verification Key; the PVV is the first 4 decimal digits of the result read as hex digits,
// completed when needed from its digits A-F minus 10 (Visa PIN Security Requirements, PVV method).

import type { CryptoProvider } from "../../kernel/crypto";

export function visaPvv(c: CryptoProvider, pvk: Uint8Array, pan: string, pvki: number, pin: Uint8Array): string {
  if (!/^[0-9]{12,19}$/.test(pan)) throw new Error("pvv: the PAN must be 12 to 19 digits");
  if (!Number.isInteger(pvki) || pvki < 0 || pvki > 9) throw new Error("pvv: PVKI must be one digit");
  if (pin.length < 4) throw new Error("pvv: a PIN has at least 4 digits");
  const tsp = pan.slice(pan.length - 12, pan.length - 1) + String(pvki) + String.fromCharCode(...pin.subarray(0, 4));
  const block = new Uint8Array(8);
  for (let i = 0; i < 8; i++) block[i] = ((tsp.charCodeAt(2 * i) - 0x30) << 4) | (tsp.charCodeAt(2 * i + 1) - 0x30);
  const out = c.tdesEcbEncrypt(pvk, block);
  block.fill(0);
  let digits = "";
  let letters = "";
  for (let i = 0; i < 16; i++) {
    const n = i % 2 === 0 ? out[i >> 1] >> 4 : out[i >> 1] & 0x0f;
    if (n < 10) digits += String(n);
    else letters += String(n - 10);
  }
  out.fill(0);
  return (digits + letters).slice(0, 4);
}
