// The magnetic stripe of a virtual card, ISO/IEC 7813 tracks 1 and 2 from start to end sentinel,
// in the form the virtual magstripe head swipes (host-sim/magstripe: VirtualCard):
//   track 1: %B PAN ^ NAME ^ YYMM service-code discretionary ?
//   track 2: ; PAN = YYMM service-code discretionary ?
import { discretionary } from "./personalization";
import type { CardProfile } from "./profiles";

export interface MagneticStripe {
  track1: string;
  track2: string;
}

export function magneticStripe(p: CardProfile): MagneticStripe {
  const yymm = p.expiry.slice(0, 4);
  const dd = discretionary(p);
  return {
    track1: `%B${p.pan}^${p.cardholderName}^${yymm}${p.serviceCode}${dd}000000?`,
    track2: `;${p.pan}=${yymm}${p.serviceCode}${dd}?`,
  };
}
