// Status words the virtual cards answer with (ISO/IEC 7816-4:2013, 5.1.3 and 10.1; EMV Book 3,
// 6.3.5 and the command clauses of 6.5).
export const SW = {
  ok: 0x9000,
  selectedFileInvalidated: 0x6283, // SELECT of a blocked application (Book 1, 12.3.2)
  verificationFailed: 0x6300, // EXTERNAL AUTHENTICATE: ARPC wrong (Book 3, 6.5.4.4)
  wrongLength: 0x6700,
  authenticationBlocked: 0x6983, // VERIFY with the PIN Try Counter at 0 (Book 3, 6.5.12.4)
  conditionsNotSatisfied: 0x6985,
  incorrectSecureMessaging: 0x6988,
  wrongData: 0x6a80,
  functionNotSupported: 0x6a81, // the card is blocked (Book 1, 12.3.2)
  fileNotFound: 0x6a82,
  recordNotFound: 0x6a83,
  wrongP1P2: 0x6a86,
  referencedDataNotFound: 0x6a88,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
} as const;

/** '63Cx': wrong PIN, x tries left (Book 3, 6.5.12.4). */
export function pinTriesLeft(tries: number): number {
  return 0x63c0 | (tries & 0x0f);
}

/** data || SW1 SW2. */
export function respond(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}
