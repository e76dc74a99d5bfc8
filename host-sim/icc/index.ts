export type { IccApplet } from "./applet";
export type { IccFault } from "./faults";
export {
  createVirtualIcc, DEFAULT_ATR_T0, DEFAULT_ATR_T1,
  type VirtualIcc, type VirtualIccOptions, type LineStats, type ExchangeTiming, type LineSegment,
} from "./virtual-icc";
export { createEchoApplet, type EchoAppletOptions } from "./echo-applet";
export { runContactExchange, type ContactExchangeOptions, type ContactExchangeReport } from "./exchange";
export { T0_INCOMING_INS } from "./card-t0";
