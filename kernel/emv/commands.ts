import { exchangeApdu, parseResponseApdu, type ApduTransport, type ResponseApdu } from "../iso7816/apdu";
import { concat } from "../bytes";

// The commands of the EMV application layer, one function each, as EMV 4.4 Book 1, 11.3 (SELECT)
// and Book 3, 6.5 define them. Each sends one command APDU and returns the response data and status
// word; what a status word means is decided by the phase that sent the command (Book 3, 6.3.5 and
// the "Processing State Returns" of each command). Errors of the line (card removed, mute,
// protocol) come from the transport as typed errors.

export type CardResponse = ResponseApdu;

export const SW_OK = 0x9000;

/** Book 1, 11.3.2: SELECT by DF name, first (P2 '00') or next (P2 '02') occurrence. */
export function select(t: ApduTransport, dfName: Uint8Array, next = false): Promise<CardResponse> {
  return exchangeApdu(t, { cla: 0x00, ins: 0xa4, p1: 0x04, p2: next ? 0x02 : 0x00, data: dfName, le: 256 });
}

/** Book 3, 6.5.11: READ RECORD, P1 the record number, P2 the SFI in b8-b4 and '100' in b3-b1. */
export function readRecord(t: ApduTransport, sfi: number, record: number): Promise<CardResponse> {
  return exchangeApdu(t, { cla: 0x00, ins: 0xb2, p1: record, p2: (sfi << 3) | 0x04, le: 256 });
}

/** Book 3, 6.5.8: GET PROCESSING OPTIONS with the Command Template '83' around the PDOL data. */
export function getProcessingOptions(t: ApduTransport, pdolData: Uint8Array): Promise<CardResponse> {
  const length = pdolData.length < 0x80 ? [pdolData.length] : [0x81, pdolData.length];
  const data = concat(new Uint8Array([0x83, ...length]), pdolData);
  return exchangeApdu(t, { cla: 0x80, ins: 0xa8, p1: 0x00, p2: 0x00, data, le: 256 });
}

/** Book 3, 6.5.7: GET DATA for a two-byte tag ('9F36', '9F13', '9F17', '9F4F'). */
export function getData(t: ApduTransport, tag: number): Promise<CardResponse> {
  return exchangeApdu(t, { cla: 0x80, ins: 0xca, p1: tag >> 8, p2: tag & 0xff, le: 256 });
}

/** Book 3, 6.5.9: INTERNAL AUTHENTICATE with the DDOL data (P1 P2 '0000'). */
export function internalAuthenticate(t: ApduTransport, ddolData: Uint8Array): Promise<CardResponse> {
  return exchangeApdu(t, { cla: 0x00, ins: 0x88, p1: 0x00, p2: 0x00, data: ddolData, le: 256 });
}

/** Reference control parameter of GENERATE AC, Book 3, 6.5.5.2, Table 12: b8-b7 the type asked for. */
export const AC_TYPE = { aac: 0x00, tc: 0x40, arqc: 0x80 } as const;
export type AcType = keyof typeof AC_TYPE;
/** b5: CDA signature requested (Book 3, 6.5.5.2, Table 12). */
export const GENERATE_AC_CDA = 0x10;

/** Book 3, 6.5.5: GENERATE APPLICATION CRYPTOGRAM with the CDOL1 or CDOL2 data. */
export function generateAc(t: ApduTransport, type: AcType, cda: boolean, cdolData: Uint8Array): Promise<CardResponse> {
  const p1 = AC_TYPE[type] | (cda ? GENERATE_AC_CDA : 0);
  return exchangeApdu(t, { cla: 0x80, ins: 0xae, p1, p2: 0x00, data: cdolData, le: 256 });
}

/** Book 3, 6.5.4: EXTERNAL AUTHENTICATE with the Issuer Authentication Data (8 to 16 bytes). */
export function externalAuthenticate(t: ApduTransport, issuerAuthenticationData: Uint8Array): Promise<CardResponse> {
  return exchangeApdu(t, { cla: 0x00, ins: 0x82, p1: 0x00, p2: 0x00, data: issuerAuthenticationData });
}

/** Book 3, 6.5.6: GET CHALLENGE, an 8-byte unpredictable number for offline enciphered PIN. */
export function getChallenge(t: ApduTransport): Promise<CardResponse> {
  return exchangeApdu(t, { cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00, le: 256 });
}

/** Book 3, 6.5.12.2, Table 23: P2 of VERIFY, the qualifier of the reference data. */
export const VERIFY_PLAINTEXT_PIN = 0x80;
export const VERIFY_ENCIPHERED_PIN = 0x88;

/** Book 3, 6.5.12: VERIFY with a plaintext PIN block (P2 '80') or an enciphered PIN (P2 '88'). */
export function verify(t: ApduTransport, p2: number, data: Uint8Array): Promise<CardResponse> {
  return exchangeApdu(t, { cla: 0x00, ins: 0x20, p1: 0x00, p2, data });
}

/** Sends an issuer script command (Book 3, 10.10) exactly as the issuer built it. */
export async function sendRaw(t: ApduTransport, command: Uint8Array): Promise<CardResponse> {
  return parseResponseApdu(await t.transmit(command));
}
