import type { BitRateCapability } from "./ats";
import { frameSize } from "./ats";
import { RfFrameError } from "./errors";

// Type B commands and answers of ISO/IEC 14443-3:2018, clause 7: REQB/WUPB and the ATQB, ATTRIB
// and its answer, HLTB. Every frame carries CRC_B (added and checked by the controller).

/** 7.7: the anticollision prefix byte APf of REQB/WUPB. */
export const APF = 0x05;

/**
 * 7.7: REQB (PARAM b4 = 0) or WUPB (b4 = 1) for all application families (AFI '00') with one
 * slot (N = 1, b3-b1 = 000): the PCD that EMV Book D describes uses no slotted anticollision.
 */
export function requestBFrame(wakeUp: boolean): Uint8Array {
  return Uint8Array.of(APF, 0x00, wakeUp ? 0x08 : 0x00);
}

export interface Atqb {
  /** Pseudo-Unique PICC Identifier, 4 bytes. */
  pupi: Uint8Array;
  /** Application data, 4 bytes (AFI, CRC_B(AID), number of applications). */
  applicationData: Uint8Array;
  bitRates: BitRateCapability;
  /** Max_Frame_Size code (FSCI) and the size in bytes. */
  fsci: number;
  fsc: number;
  /** Protocol_Type b1: the PICC is compliant with ISO/IEC 14443-4. */
  isoDep: boolean;
  /** FWI (7.9.4.3), RFU 15 read as 4. */
  fwi: number;
  /** FO b2 NAD and b1 CID supported. */
  nadSupported: boolean;
  cidSupported: boolean;
  /** The extended ATQB's SFGI (7.9.4.4), 0 when absent. */
  sfgi: number;
}

/**
 * 7.9: ATQB = '50' | PUPI (4) | Application Data (4) | Protocol Info (3, or 4 in the extended ATQB).
 * Protocol Info byte 1: Bit_Rate_capability (b8 same both ways, b7-b5 PICC to PCD 848/424/212,
 * b4 = 0, b3-b1 PCD to PICC 848/424/212); byte 2: b8-b5 Max_Frame_Size, b4-b1 Protocol_Type;
 * byte 3: b8-b5 FWI, b4-b3 ADC, b2-b1 FO; byte 4 (extended): b8-b5 SFGI.
 */
export function parseAtqb(bytes: Uint8Array): Atqb {
  if (bytes.length !== 12 && bytes.length !== 13) throw new RfFrameError(`ATQB: ${bytes.length} bytes where 12 or 13 are defined`);
  if (bytes[0] !== 0x50) throw new RfFrameError("ATQB: the first byte is not '50'");
  const rate = bytes[9];
  const bitRates: BitRateCapability = (rate & 0x08) !== 0
    ? { sameBothWays: true, piccToPcd: [1], pcdToPicc: [1] } // b4 = 1 is RFU: 106 kbit/s only
    : {
        sameBothWays: (rate & 0x80) !== 0,
        piccToPcd: [1, ...((rate & 0x10) ? [2 as const] : []), ...((rate & 0x20) ? [4 as const] : []), ...((rate & 0x40) ? [8 as const] : [])],
        pcdToPicc: [1, ...((rate & 0x01) ? [2 as const] : []), ...((rate & 0x02) ? [4 as const] : []), ...((rate & 0x04) ? [8 as const] : [])],
      };
  const fsci = bytes[10] >> 4;
  const fwi = bytes[11] >> 4;
  return {
    pupi: bytes.slice(1, 5),
    applicationData: bytes.slice(5, 9),
    bitRates,
    fsci,
    fsc: frameSize(fsci),
    isoDep: (bytes[10] & 0x01) !== 0,
    fwi: fwi === 15 ? 4 : fwi,
    nadSupported: (bytes[11] & 0x02) !== 0,
    cidSupported: (bytes[11] & 0x01) !== 0,
    sfgi: bytes.length === 13 ? ((bytes[12] >> 4) === 15 ? 0 : bytes[12] >> 4) : 0,
  };
}

/** The ATQB of a virtual PICC. */
export function encodeAtqb(a: { pupi: Uint8Array; applicationData?: Uint8Array; bitRate: number; fsci: number; fwi: number; cid: boolean }): Uint8Array {
  const out = new Uint8Array(12);
  out[0] = 0x50;
  out.set(a.pupi.subarray(0, 4), 1);
  out.set((a.applicationData ?? new Uint8Array(4)).subarray(0, 4), 5);
  out[9] = a.bitRate & 0xf7;
  out[10] = ((a.fsci & 0x0f) << 4) | 0x01;
  out[11] = ((a.fwi & 0x0f) << 4) | (a.cid ? 0x01 : 0);
  return out;
}

/**
 * 7.10: ATTRIB = '1D' | PUPI | Param 1 | Param 2 | Param 3 | Param 4 (no higher-layer INF).
 * Param 1 '00': default TR0 and TR1, SOF and EOF required. Param 2: b8-b7 PICC to PCD divisor
 * code (DSI), b6-b5 PCD to PICC (DRI), b4-b1 FSDI. Param 3: b1 = 1, ISO/IEC 14443-4 compliant.
 * Param 4: b4-b1 the CID.
 */
export function attribFrame(pupi: Uint8Array, fsdi: number, dsi: number, dri: number, cid: number): Uint8Array {
  if (pupi.length !== 4) throw new RangeError("ATTRIB: PUPI is 4 bytes");
  return Uint8Array.of(0x1d, pupi[0], pupi[1], pupi[2], pupi[3], 0x00, ((dsi & 3) << 6) | ((dri & 3) << 4) | (fsdi & 0x0f), 0x01, cid & 0x0f);
}

/** The fields of an ATTRIB command (for virtual PICCs). */
export function parseAttrib(frame: Uint8Array): { pupi: Uint8Array; fsdi: number; dsi: number; dri: number; cid: number } | undefined {
  if (frame.length < 9 || frame[0] !== 0x1d) return undefined;
  return { pupi: frame.slice(1, 5), fsdi: frame[6] & 0x0f, dsi: frame[6] >> 6, dri: (frame[6] >> 4) & 3, cid: frame[8] & 0x0f };
}

/**
 * 7.11: the answer to ATTRIB, b8-b5 MBLI and b4-b1 the CID the PICC took; it must be the CID sent
 * (0 when the PCD uses none), else the PCD does not accept the activation.
 */
export function checkAttribAnswer(bytes: Uint8Array, cid: number): boolean {
  return bytes.length >= 1 && (bytes[0] & 0x0f) === (cid & 0x0f);
}

/** 7.12: HLTB = '50' | PUPI; the PICC answers '00'. */
export function hltbFrame(pupi: Uint8Array): Uint8Array {
  return Uint8Array.of(0x50, pupi[0], pupi[1], pupi[2], pupi[3]);
}
