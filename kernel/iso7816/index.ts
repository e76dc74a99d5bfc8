export {
  encodeCommandApdu, parseCommandApdu, parseResponseApdu, exchangeApdu,
  type ApduTransport, type ApduCase, type CommandApdu, type ParsedCommandApdu, type ResponseApdu,
} from "./apdu";
export { CardRemovedError, CardMuteError, ProtocolError, ApduFormatError, AtrFormatError } from "./errors";
export {
  parseAtr, atrLength, interfaceByte, TS_DIRECT, TS_INVERSE, ATR_MAX_LENGTH,
  type Atr, type Convention, type InterfaceGroup, type T1Parameters,
} from "./atr";
export { checkEmvAtr, type EmvAtrVerdict, type ProtocolParameters } from "./atr-emv";
export { answerToReset, type AtrOutcome } from "./answer-to-reset";
export { T0Transport, type T0Options } from "./t0";
export { T1Transport, type T1Options } from "./t1";
export { encodeBlock, decodeBlock, lrc, type T1Block, type SBlockType } from "./t1-block";
export { openContactCard, type ContactCard, type ContactCardOptions } from "./session";
export { inverseConvention, inverseConventionByte, conventionOfRawTs } from "./convention";
export * from "./timing";
