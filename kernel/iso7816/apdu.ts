import { ApduFormatError, ProtocolError } from "./errors";

// Command and response APDUs, short form only (ISO/IEC 7816-4:2013, 5.1 and 5.2). EMV uses short
// APDUs exclusively (EMV Book 1, 9.4 / Book 3, 6.3): Lc 1..255, Le 1..256 (coded '00' for 256).

/**
 * What the EMV kernel talks to: one command APDU in, the full response data || SW1 SW2 out. The
 * transport hides the protocol: for T=0 it has already done the procedure bytes, the 61xx GET
 * RESPONSE loop and the 6Cxx resend (EMV Book 1, 9.3.1); for T=1 the blocks and chaining.
 * Rejects with CardRemovedError, CardMuteError or ProtocolError (kernel/iso7816/errors.ts).
 */
export interface ApduTransport {
  transmit(command: Uint8Array): Promise<Uint8Array>;
}

/** The four cases of ISO/IEC 7816-3:2006, 12.1.2 (short form). */
export type ApduCase = 1 | 2 | 3 | 4;

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Nc = 1..255 bytes); absent or empty for cases 1 and 2. */
  data?: Uint8Array;
  /** Expected response length Ne = 1..256; absent for cases 1 and 3. */
  le?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw1: number;
  sw2: number;
  /** SW1 * 256 + SW2, e.g. 0x9000. */
  sw: number;
}

function checkByte(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new ApduFormatError(`apdu: ${what} must be a byte`);
  }
}

/** ISO/IEC 7816-4, 5.1: the header, then Lc || data if any, then Le if any ('00' for 256). */
export function encodeCommandApdu(apdu: CommandApdu): Uint8Array {
  checkByte(apdu.cla, "CLA");
  checkByte(apdu.ins, "INS");
  checkByte(apdu.p1, "P1");
  checkByte(apdu.p2, "P2");
  // ISO/IEC 7816-3, 10.3.2: INS values 6X and 9X are invalid (they are procedure bytes in T=0).
  if ((apdu.ins & 0xf0) === 0x60 || (apdu.ins & 0xf0) === 0x90) {
    throw new ApduFormatError("apdu: INS 6X and 9X are reserved for procedure bytes (ISO 7816-3, 10.3.2)");
  }
  const nc = apdu.data ? apdu.data.length : 0;
  if (nc > 255) throw new ApduFormatError(`apdu: ${nc} data bytes exceed the short form's 255`);
  const le = apdu.le;
  if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > 256)) {
    throw new ApduFormatError("apdu: Le must be 1..256 in the short form");
  }
  const out = new Uint8Array(4 + (nc > 0 ? 1 + nc : 0) + (le !== undefined ? 1 : 0));
  out[0] = apdu.cla;
  out[1] = apdu.ins;
  out[2] = apdu.p1;
  out[3] = apdu.p2;
  let o = 4;
  if (nc > 0) {
    out[o++] = nc;
    out.set(apdu.data as Uint8Array, o);
    o += nc;
  }
  if (le !== undefined) out[o] = le & 0xff; // 256 -> '00'
  return out;
}

/** A command APDU split into its fields and case (ISO/IEC 7816-3:2006, 12.1.3, short form). */
export interface ParsedCommandApdu {
  case: ApduCase;
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Ne: 1..256 in cases 2 and 4, 0 in cases 1 and 3. */
  ne: number;
}

/**
 * Decides the case from the length alone, as ISO/IEC 7816-3:2006, 12.1.3 does: 4 bytes case 1,
 * 5 bytes case 2S, 5 + Lc case 3S, 6 + Lc case 4S. Extended lengths (a first body byte '00' with
 * more bytes behind it) are refused: EMV never uses them.
 */
export function parseCommandApdu(bytes: Uint8Array): ParsedCommandApdu {
  if (bytes.length < 4) throw new ApduFormatError(`apdu: ${bytes.length} bytes is shorter than a header`);
  const [cla, ins, p1, p2] = bytes;
  if (cla === 0xff) throw new ApduFormatError("apdu: CLA 'FF' is invalid (ISO 7816-3, 10.3.2)");
  if ((ins & 0xf0) === 0x60 || (ins & 0xf0) === 0x90) {
    throw new ApduFormatError("apdu: INS 6X and 9X are reserved for procedure bytes (ISO 7816-3, 10.3.2)");
  }
  const head = { cla, ins, p1, p2 };
  if (bytes.length === 4) return { case: 1, ...head, data: new Uint8Array(0), ne: 0 };
  if (bytes.length === 5) return { case: 2, ...head, data: new Uint8Array(0), ne: bytes[4] === 0 ? 256 : bytes[4] };
  const lc = bytes[4];
  if (lc === 0) throw new ApduFormatError("apdu: extended length APDUs are not supported (EMV uses short APDUs)");
  if (bytes.length === 5 + lc) return { case: 3, ...head, data: bytes.slice(5), ne: 0 };
  if (bytes.length === 6 + lc) {
    const le = bytes[5 + lc];
    return { case: 4, ...head, data: bytes.slice(5, 5 + lc), ne: le === 0 ? 256 : le };
  }
  throw new ApduFormatError(`apdu: Lc ${lc} does not match a body of ${bytes.length - 4} bytes`);
}

/** The trailer SW1 SW2 and the data before it (ISO/IEC 7816-4, 5.1.3). */
export function parseResponseApdu(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new ProtocolError("apdu: a response needs at least SW1 SW2");
  const sw1 = bytes[bytes.length - 2];
  const sw2 = bytes[bytes.length - 1];
  return { data: bytes.slice(0, bytes.length - 2), sw1, sw2, sw: sw1 * 256 + sw2 };
}

/** Sends one command through a transport and splits the answer. */
export async function exchangeApdu(transport: ApduTransport, apdu: CommandApdu): Promise<ResponseApdu> {
  return parseResponseApdu(await transport.transmit(encodeCommandApdu(apdu)));
}
