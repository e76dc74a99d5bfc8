// The Card Status Update (CSU) that ARPC method 2 carries (EMV Book 2, A1.2.2), 4 bytes coded as
// the Common Core Definitions define it (EMV Book 3, Annex C CCD, "Card Status Update"):
//   byte 1: b8 Proprietary Authentication Data included; b4-b1 PIN Try Counter
//   byte 2: b8 Issuer approves online transaction; b7 card block; b6 application block;
//           b5 update PIN Try Counter; b4 set go online on next transaction; b3 CSU created by proxy;
//           b2-b1 update counters (00 none, 01 set to upper limits, 10 reset to zero, 11 add transaction)
//   byte 3: RFU '00'; byte 4: issuer-discretionary.

import { EmvCryptoError } from "./errors";

export interface CardStatusUpdate {
  proprietaryDataIncluded: boolean;
  pinTryCounter: number;
  approveOnline: boolean;
  cardBlock: boolean;
  applicationBlock: boolean;
  updatePinTryCounter: boolean;
  goOnlineNextTransaction: boolean;
  createdByProxy: boolean;
  updateCounters: 0 | 1 | 2 | 3;
  issuerDiscretionary: number;
}

export function encodeCardStatusUpdate(u: Partial<CardStatusUpdate>): Uint8Array {
  const ptc = u.pinTryCounter ?? 0;
  if (!Number.isInteger(ptc) || ptc < 0 || ptc > 15) throw new EmvCryptoError("csu: PIN Try Counter must be 0 to 15");
  const counters = u.updateCounters ?? 0;
  const out = new Uint8Array(4);
  out[0] = (u.proprietaryDataIncluded ? 0x80 : 0) | ptc;
  out[1] = (u.approveOnline ? 0x80 : 0) | (u.cardBlock ? 0x40 : 0) | (u.applicationBlock ? 0x20 : 0) |
    (u.updatePinTryCounter ? 0x10 : 0) | (u.goOnlineNextTransaction ? 0x08 : 0) | (u.createdByProxy ? 0x04 : 0) |
    (counters & 0x03);
  out[3] = (u.issuerDiscretionary ?? 0) & 0xff;
  return out;
}

export function decodeCardStatusUpdate(csu: Uint8Array): CardStatusUpdate {
  if (!(csu instanceof Uint8Array) || csu.length !== 4) throw new EmvCryptoError("csu: expected 4 bytes");
  return {
    proprietaryDataIncluded: (csu[0] & 0x80) !== 0,
    pinTryCounter: csu[0] & 0x0f,
    approveOnline: (csu[1] & 0x80) !== 0,
    cardBlock: (csu[1] & 0x40) !== 0,
    applicationBlock: (csu[1] & 0x20) !== 0,
    updatePinTryCounter: (csu[1] & 0x10) !== 0,
    goOnlineNextTransaction: (csu[1] & 0x08) !== 0,
    createdByProxy: (csu[1] & 0x04) !== 0,
    updateCounters: (csu[1] & 0x03) as 0 | 1 | 2 | 3,
    issuerDiscretionary: csu[3],
  };
}
