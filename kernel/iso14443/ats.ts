import type { BitRateKbps } from "../../hal/nfc-controller";
import { RfFrameError } from "./errors";
import { kbpsOf } from "./timing";

// Protocol activation of a Type A PICC (ISO/IEC 14443-4:2016, clause 5): RATS and the ATS that
// announces the PICC's frame size (FSCI), frame waiting time (FWI), start-up guard time (SFGI),
// bit rates (TA(1)) and CID/NAD support (TC(1)); then PPS to leave 106 kbit/s.

/** 5.1: FSDI/FSCI to a frame size in bytes (CRC included); 9-12 are the 2016 extension. */
const FRAME_SIZES = [16, 24, 32, 40, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096];

/** The frame size coded by FSDI or FSCI; codes above 12 are RFU and read as 256 (5.2.3). */
export function frameSize(code: number): number {
  return code >= 0 && code < FRAME_SIZES.length ? FRAME_SIZES[code] : 256;
}

/** The PCD's FSDI: 8, a 256-byte frame (EMV Book D has the PCD offer FSD = 256). */
export const PCD_FSDI = 8;

/** 5.1: RATS, 'E0' then FSDI in b8-b5 and the CID in b4-b1 (CRC_A follows). */
export function ratsFrame(fsdi: number, cid: number): Uint8Array {
  if (!Number.isInteger(fsdi) || fsdi < 0 || fsdi > 12) throw new RangeError("RATS: FSDI 0-12");
  if (!Number.isInteger(cid) || cid < 0 || cid > 14) throw new RangeError("RATS: CID 0-14 (15 is RFU)");
  return Uint8Array.of(0xe0, (fsdi << 4) | cid);
}

export interface BitRateCapability {
  /** TA(1) b8: the PICC needs the same divisor in both directions. */
  sameBothWays: boolean;
  /** Divisors the PICC can send with (PICC to PCD), 1 always. */
  piccToPcd: (1 | 2 | 4 | 8)[];
  /** Divisors the PICC can receive (PCD to PICC), 1 always. */
  pcdToPicc: (1 | 2 | 4 | 8)[];
}

export interface Ats {
  /** The PICC's frame size FSC in bytes (from FSCI). */
  fsc: number;
  fsci: number;
  /** TB(1) b8-b5, 0-14 (RFU 15 read as the default 4). */
  fwi: number;
  /** TB(1) b4-b1, 0-14 (RFU 15 read as 0). */
  sfgi: number;
  bitRates: BitRateCapability;
  /** TC(1) b2 and b1. */
  cidSupported: boolean;
  nadSupported: boolean;
  historicalBytes: Uint8Array;
}

/** 5.2.4, TA(1): b7-b5 DS = 8, 4, 2 (PICC to PCD); b3-b1 DR = 8, 4, 2 (PCD to PICC); b4 must be 0. */
export function parseBitRates(ta: number): BitRateCapability {
  const list = (b: number): (1 | 2 | 4 | 8)[] => {
    const out: (1 | 2 | 4 | 8)[] = [1];
    if (b & 1) out.push(2);
    if (b & 2) out.push(4);
    if (b & 4) out.push(8);
    return out;
  };
  // b4 = 1 is RFU: ISO/IEC 14443-4 has the PCD then use 106 kbit/s only.
  if (ta & 0x08) return { sameBothWays: true, piccToPcd: [1], pcdToPicc: [1] };
  return { sameBothWays: (ta & 0x80) !== 0, piccToPcd: list((ta >> 4) & 7), pcdToPicc: list(ta & 7) };
}

/**
 * 5.2: the ATS, TL first (TL counts itself, not the CRC). Absent interface bytes take their default
 * values (5.2.3-5.2.6): FSCI 2, TA(1) '00', FWI 4, SFGI 0, TC(1) '02' (CID supported, no NAD).
 * RFU values are read as the standard and EMV Book D ask: FSCI above 8 (12 in the 2016 edition) as
 * 256 bytes, FWI 15 as 4, SFGI 15 as 0.
 */
export function parseAts(ats: Uint8Array): Ats {
  if (ats.length < 1) throw new RfFrameError("ATS: empty");
  const tl = ats[0];
  if (tl !== ats.length) throw new RfFrameError(`ATS: TL says ${tl} bytes, ${ats.length} were received`);
  const out: Ats = {
    fsc: frameSize(2), fsci: 2, fwi: 4, sfgi: 0,
    bitRates: { sameBothWays: false, piccToPcd: [1], pcdToPicc: [1] },
    cidSupported: true, nadSupported: false, historicalBytes: new Uint8Array(0),
  };
  if (tl === 1) return out;
  const t0 = ats[1];
  // 5.2.3: b8 of T0 is 0; the PCD does not reject a PICC for it (Book D reads RFU bits leniently).
  out.fsci = t0 & 0x0f;
  out.fsc = frameSize(out.fsci);
  let p = 2;
  const need = (what: string) => {
    if (p >= tl) throw new RfFrameError(`ATS: T0 announces ${what} but the ATS ends`);
    return ats[p++];
  };
  if (t0 & 0x10) out.bitRates = parseBitRates(need("TA(1)"));
  if (t0 & 0x20) {
    const tb = need("TB(1)");
    const fwi = tb >> 4;
    const sfgi = tb & 0x0f;
    out.fwi = fwi === 15 ? 4 : fwi;
    out.sfgi = sfgi === 15 ? 0 : sfgi;
  }
  if (t0 & 0x40) {
    const tc = need("TC(1)");
    out.cidSupported = (tc & 0x02) !== 0;
    out.nadSupported = (tc & 0x01) !== 0;
  }
  out.historicalBytes = ats.slice(p);
  return out;
}

/** The ATS bytes for a virtual PICC (TL computed), with TA(1), TB(1), TC(1) always present. */
export function encodeAts(a: { fsci: number; fwi: number; sfgi: number; ta: number; cid: boolean; nad: boolean; historical?: Uint8Array }): Uint8Array {
  const hist = a.historical ?? new Uint8Array(0);
  const out = new Uint8Array(5 + hist.length);
  out[0] = out.length;
  out[1] = 0x70 | (a.fsci & 0x0f);
  out[2] = a.ta & 0xff;
  out[3] = ((a.fwi & 0x0f) << 4) | (a.sfgi & 0x0f);
  out[4] = (a.cid ? 0x02 : 0) | (a.nad ? 0x01 : 0);
  out.set(hist, 5);
  return out;
}

export interface BitRateChoice {
  /** DSI and DRI as PPS1 codes them (0 = D 1, 1 = D 2, 2 = D 4, 3 = D 8). */
  dsi: number;
  dri: number;
  txKbps: BitRateKbps;
  rxKbps: BitRateKbps;
}

function code(d: 1 | 2 | 4 | 8): number {
  return d === 1 ? 0 : d === 2 ? 1 : d === 4 ? 2 : 3;
}

/**
 * The fastest bit rates both the PICC (TA(1) or the ATQB's Bit_Rate_capability) and the controller
 * support, each direction on its own unless the PICC needs them equal (5.2.4).
 */
export function chooseBitRate(picc: BitRateCapability, controllerKbps: readonly BitRateKbps[]): BitRateChoice {
  const ok = (d: 1 | 2 | 4 | 8) => controllerKbps.indexOf(kbpsOf(d)) >= 0;
  const best = (list: (1 | 2 | 4 | 8)[]) => list.filter(ok).reduce((a, b) => (b > a ? b : a), 1 as 1 | 2 | 4 | 8);
  let ds = best(picc.piccToPcd);
  let dr = best(picc.pcdToPicc);
  if (picc.sameBothWays) {
    const both = picc.piccToPcd.filter((d) => picc.pcdToPicc.indexOf(d) >= 0 && ok(d));
    ds = dr = both.reduce((a, b) => (b > a ? b : a), 1 as 1 | 2 | 4 | 8);
  }
  return { dsi: code(ds), dri: code(dr), rxKbps: kbpsOf(ds), txKbps: kbpsOf(dr) };
}

/** 5.3: PPS request: PPSS 'D0' + CID, PPS0 '11' (PPS1 follows), PPS1 DSI in b4-b3, DRI in b2-b1. */
export function ppsFrame(cid: number, choice: BitRateChoice): Uint8Array {
  return Uint8Array.of(0xd0 | (cid & 0x0f), 0x11, ((choice.dsi & 3) << 2) | (choice.dri & 3));
}

/** 5.4: the PPS response is PPSS echoed. */
export function isPpsResponse(bytes: Uint8Array, cid: number): boolean {
  return bytes.length === 1 && bytes[0] === (0xd0 | (cid & 0x0f));
}
