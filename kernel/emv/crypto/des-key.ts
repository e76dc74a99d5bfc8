// DES key parity. FIPS 46-3: "bits 8, 16, ..., 64 are for use in ensuring that each byte is of odd
// parity". EMV Book 2, A1.3.1 and A1.4.1 derive keys whose parity bits the TDES engine ignores; the
// issuer systems and this project store them with odd parity set, as HSMs do.

/** A copy of `key` with the low bit of every byte set so that the byte has odd parity. */
export function withOddParity(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) {
    let b = key[i] & 0xfe;
    let ones = 0;
    for (let v = b; v !== 0; v >>= 1) ones += v & 1;
    if (ones % 2 === 0) b |= 1;
    out[i] = b;
  }
  return out;
}
