// ISO/IEC 14443-3 (Type A and Type B initialization and anticollision) and ISO/IEC 14443-4 (ISO-DEP
// activation and the half-duplex block protocol), with the PCD behaviour of EMV Contactless Book D.
export { RfTimeoutError, RfTransmissionError, RfProtocolError, RfFrameError, isRfError, RF_ERROR_CODES } from "./errors";
export { crc, appendCrc, checkCrc, type CrcKind } from "./crc";
export * from "./timing";
export * from "./type-a";
export * from "./type-b";
export * from "./ats";
export { encodeBlock, parseBlock, wtxMultiplier, type Block } from "./block";
export { IsoDepSession, type IsoDepParameters, type IsoDepCounters } from "./iso-dep";
export { selectTypeA, type TypeASelection } from "./anticollision";
export { createPcd, type Pcd, type PcdOptions, type PollResult, type ActivatedCard, type ContactlessTransport } from "./pcd";
export { HostPcd } from "./polling";
export { OffloadPcd } from "./offload";
