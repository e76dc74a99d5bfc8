import type { BitRateKbps } from "../../hal/nfc-controller";

// Timing of the contactless interface. Everything is counted in carrier cycles 1/fc (fc = 13.56 MHz,
// ISO/IEC 14443-2) and turned into microseconds for the controller. The EMV values (the
// deltas a PCD adds to what the PICC announced, the polling guard time) are those of EMV Contactless
// Book D's table of PCD timing values (Annex A).

/** The carrier frequency, Hz (ISO/IEC 14443-2). */
export const FC_HZ = 13.56e6;

/** Microseconds for `cycles` periods of the carrier. */
export function cyclesToUs(cycles: number): number {
  return (cycles * 1e6) / FC_HZ;
}

/** The divisor D of a bit rate: 106 kbit/s = fc/128 is D = 1 (ISO/IEC 14443-2:2020, 8.1). */
export function divisorOf(kbps: BitRateKbps): 1 | 2 | 4 | 8 {
  return kbps === 106 ? 1 : kbps === 212 ? 2 : kbps === 424 ? 4 : 8;
}

/** The bit rate of a divisor D. */
export function kbpsOf(d: 1 | 2 | 4 | 8): BitRateKbps {
  return d === 1 ? 106 : d === 2 ? 212 : d === 4 ? 424 : 848;
}

/** One elementary time unit (one bit) at a bit rate, in us: 128 / (D x fc). */
export function etuUs(kbps: BitRateKbps): number {
  return cyclesToUs(128 / divisorOf(kbps));
}

/**
 * The frame waiting time coded by FWI (ISO/IEC 14443-4:2016, 7.2): (256 x 16 / fc) x 2^FWI, in
 * carrier cycles. FWI 0..14; 15 is RFU and read as 4 (the default), as EMV Book D asks of the PCD.
 */
export function fwtCycles(fwi: number): number {
  const f = fwi >= 0 && fwi <= 14 ? fwi : 4;
  return 256 * 16 * Math.pow(2, f);
}

/**
 * The start-up frame guard time coded by SFGI (ISO/IEC 14443-4:2016, 5.2.5): (256 x 16 / fc) x
 * 2^SFGI, 0 for SFGI 0. SFGI 15 is RFU and read as 0.
 */
export function sfgtCycles(sfgi: number): number {
  return sfgi >= 1 && sfgi <= 14 ? 256 * 16 * Math.pow(2, sfgi) : 0;
}

/** Book D, Annex A: the PCD adds deltaFWT = 49 152 / fc to the FWT before it declares a timeout. */
export const DELTA_FWT_CYCLES = 49152;
/** Book D, Annex A: the PCD adds deltaSFGT = 384 x 2^SFGI / fc to the SFGT. */
export function deltaSfgtCycles(sfgi: number): number {
  return sfgi >= 1 && sfgi <= 14 ? 384 * Math.pow(2, sfgi) : 0;
}

/** The time the PCD listens for an ISO-DEP answer: FWT (times WTXM while a WTX holds) + deltaFWT, us. */
export function blockTimeoutUs(fwi: number, wtxm = 1): number {
  return cyclesToUs(fwtCycles(fwi) * wtxm + DELTA_FWT_CYCLES);
}

/**
 * ISO/IEC 14443-3:2018, 6.2.1.1: a Type A PICC answers REQA, WUPA, ANTICOLLISION and SELECT at a
 * frame delay time of (n x 128 + 84) / fc after the PCD's last pause, n = 9: 1236 / fc at most.
 * The PCD listens a little longer: Book D, Annex A, FDT_A,PICC plus the tolerance deltaT_A,PICC.
 */
export const FDT_A_PICC_CYCLES = 1236;
export const TYPE_A_SHORT_TIMEOUT_US = cyclesToUs(FDT_A_PICC_CYCLES + 400);

/** Book D, Annex A: FWT_ACTIVATION = 71 680 / fc, the time a PICC has to answer RATS or ATTRIB. */
export const FWT_ACTIVATION_CYCLES = 71680;
export const ACTIVATION_TIMEOUT_US = cyclesToUs(FWT_ACTIVATION_CYCLES + DELTA_FWT_CYCLES);

/** Book D, Annex A: FWT_ATQB = 7 680 / fc, the time a Type B PICC has to answer REQB/WUPB. */
export const FWT_ATQB_CYCLES = 7680;
export const ATQB_TIMEOUT_US = cyclesToUs(FWT_ATQB_CYCLES + DELTA_FWT_CYCLES);

/**
 * ISO/IEC 14443-3:2018, 6.4.3: a PICC that modulates within 1 ms of the end of HLTA did not
 * accept it; the PCD listens that long, and the PICC never answers a HLTA it accepted.
 */
export const HLTA_LISTEN_US = 1000;

/** Book D, Annex A: t_P, the guard time after the field comes on and between polling commands, >= 5.1 ms. */
export const POLLING_GUARD_MS = 5.1;
/** Book D, Annex A: t_RESET, the field stays off 5.1 to 10 ms for a reset. */
export const FIELD_RESET_MS = 5.1;
/** Book D, Annex A: FDT_PCD,MIN, the least delay between the end of a PICC frame and the next PCD frame. */
export const FDT_PCD_MIN_CYCLES = 6780;
