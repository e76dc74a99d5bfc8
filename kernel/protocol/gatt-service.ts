// The reader's GATT service (docs/protocol.md, "GATT service"): one 128-bit primary service with
// three characteristics. firmware/bleservices/mpos-reader.json declares the same values for
// Moddable's bleserver; a test proves the two agree.

/** The primary service. The first 4 bytes spell "mpos" in ASCII. */
export const SERVICE_UUID = "6D706F73-0001-4B9E-8C1A-3F5E2B7D9A10";

/**
 * Phone -> reader frames. Properties write and write-without-response; permission writeEncrypted
 * (Core Spec v5.3, Vol 3, Part C, 10.3: an unencrypted or unauthenticated link gets ATT error
 * Insufficient Authentication, 0x05).
 */
export const COMMAND_CHARACTERISTIC_UUID = "6D706F73-0002-4B9E-8C1A-3F5E2B7D9A10";

/** Reader -> phone frames, as notifications only (Vol 3, Part G, 4.10), readable once encrypted. */
export const EVENT_CHARACTERISTIC_UUID = "6D706F73-0003-4B9E-8C1A-3F5E2B7D9A10";

/** Device information (model, serial, versions): read, no encryption: all an unpaired phone sees. */
export const DEVICE_INFO_CHARACTERISTIC_UUID = "6D706F73-0004-4B9E-8C1A-3F5E2B7D9A10";

/** The names of the characteristics in the bleserver JSON (and in the GATT bridge). */
export const CHARACTERISTIC_NAMES = {
  command: "command",
  events: "events",
  deviceInfo: "deviceInfo",
} as const;

/** ATT_MTU before any exchange (Core Spec v5.3, Vol 3, Part F, 3.2.8: ATT_MTU for LE is 23). */
export const DEFAULT_ATT_MTU = 23;

/**
 * The largest ATT_MTU this reader accepts in an Exchange MTU (Vol 3, Part F, 3.4.2): 247 fills one
 * LE Data Length Extension PDU of 251 octets (Vol 6, Part B, 4.5.10) less the L2CAP header of 4.
 */
export const READER_MAX_ATT_MTU = 247;

/** The largest ATT_MTU any peer may ask for (Vol 3, Part F, 3.2.9: attribute values are at most 512). */
export const ATT_MTU_LIMIT = 517;

/**
 * The bytes of one frame at an ATT_MTU: a Handle Value Notification or a Write Command carries
 * ATT_MTU - 3 bytes of value (Vol 3, Part F, 3.4.7.1 and 3.4.5.3: 1-byte opcode, 2-byte handle).
 */
export function framePayloadBytes(attMtu: number): number {
  return attMtu - 3;
}

/** The negotiated ATT_MTU: the smaller of the two Exchange MTU values (Vol 3, Part F, 3.4.2.2). */
export function negotiatedMtu(clientRxMtu: number, serverRxMtu: number): number {
  return Math.max(DEFAULT_ATT_MTU, Math.min(clientRxMtu, serverRxMtu));
}

/** The device-information characteristic's largest value (one read at ATT_MTU 247 fits it whole). */
export const DEVICE_INFO_MAX_BYTES = 128;

/** The GAP name the reader advertises: model and the last four characters of its serial number. */
export function advertisedName(model: string, serial: string): string {
  return `${model} ${serial.slice(-4)}`;
}
