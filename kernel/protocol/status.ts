// The status byte of every response and alert (docs/protocol.md, "Status codes"). The numbers are
// the wire format and never change meaning; a new condition gets a new number.

export const STATUS = {
  ok: 0x00,
  /** The message did not decode: header, BER-TLV, a missing or repeated field. */
  malformed: 0x01,
  /** The message's protocol version is not one this reader speaks. */
  unsupportedVersion: 0x02,
  /** The message type is not one this reader knows. */
  unknownMessage: 0x03,
  /** The session is not authenticated: authenticate with a bond or pair first. */
  notAuthenticated: 0x04,
  /** A transaction is in progress. */
  busy: 0x05,
  /** Cancel or online response without a transaction that waits for it. */
  noTransaction: 0x06,
  /** The configuration's signature does not verify against the fleet key. */
  badSignature: 0x07,
  /** The configuration is not newer than the one installed. */
  staleConfiguration: 0x08,
  /** The phone has no bond with this reader (pair first). */
  notPaired: 0x09,
  /** The pairing code or the bond proof is wrong. */
  pairingFailed: 0x0a,
  /** Too many wrong pairing codes: pairing is refused for a while. */
  pairingLocked: 0x0b,
  /** A field or message longer than the reader accepts. */
  tooLarge: 0x0c,
  /** A field of the right type but out of its range (an amount of 13 digits, an unknown currency). */
  invalidParameter: 0x0d,
  /** A tamper event erased the keys: the reader refuses to transact. */
  tampered: 0x0e,
  /** The keys for card data or PIN are not loaded. */
  keysMissing: 0x0f,
  /** The real-time clock has never been set (set time first). */
  timeNotSet: 0x10,
  /** Alert: a record whose counter is not newer than the last one (replay or reordering). */
  replay: 0x11,
  /** Alert: a record that does not authenticate (AES-GCM tag). */
  decryptFailed: 0x12,
  /** The reader failed internally; the request had no effect. */
  internalError: 0x13,
  /** Alert: a protected record before a session exists, or a handshake out of place. */
  sessionRequired: 0x14,
  /** Alert: the handshake cannot complete (bad key share, too many handshakes). */
  handshakeFailed: 0x15,
  /** The reader's self-tests failed: it is out of service. */
  outOfService: 0x16,

  // Firmware update refusals (firmware-messages.ts, issue 13): 0x40 and up.
  /** The image header is not one of this format. */
  firmwareHeader: 0x40,
  /** The image is signed by a key this reader does not trust. */
  firmwareKey: 0x41,
  /** The image signature does not verify. */
  firmwareSignature: 0x42,
  /** The image is for another product. */
  firmwareProduct: 0x43,
  /** The image is for another hardware revision. */
  firmwareHardware: 0x44,
  /** The image version is older than the anti-rollback counter allows. */
  firmwareRollback: 0x45,
  /** The image does not fit an OTA slot. */
  firmwareTooLarge: 0x46,
  /** Finish before the last image byte (a truncated image). */
  firmwareLength: 0x47,
  /** The received image does not match the signed SHA-256. */
  firmwareHash: 0x48,
  /** A chunk of the wrong size or past the image. */
  firmwareOffset: 0x49,
  /** An update step out of order, or while the running image is not confirmed. */
  firmwareState: 0x4a,
} as const;

export type StatusName = keyof typeof STATUS;
export type StatusCode = (typeof STATUS)[StatusName];

const NAMES: Record<number, StatusName> = {};
for (const name of Object.keys(STATUS) as StatusName[]) NAMES[STATUS[name]] = name;

/** The name of a status byte, or undefined for a number this version does not know. */
export function statusName(code: number): StatusName | undefined {
  return Object.prototype.hasOwnProperty.call(NAMES, code) ? NAMES[code] : undefined;
}
