// The security core: DUKPT (AES, ANSI X9.24-3:2017; TDES, ANSI X9.24-1:2009), PIN blocks (ISO
// 9564-1 formats 0-4), TR-31 / X9.143 key blocks, P2PE envelopes, the key store and the tamper
// response. See each file for its clauses.

export { Secret } from "./secret";
export {
  KeyError, DukptError, DukptExhaustedError, PinBlockError, KeyBlockError, EnvelopeError, KeyStoreError, TamperedError,
} from "./errors";
export {
  AES_DUKPT_KSN_BYTES, AES_DUKPT_MAX_COUNTER, AES_DUKPT_USAGES, DUKPT_KEY_TYPES, aesKsn, parseAesKsn,
  dukptAesHostKey, dukptAesInitialKey, dukptAesUpdateKey, intermediateKeyFor, checkWorkingKeyType,
  type AesDukptKeyUsage, type DukptKeyType, type AesDerivationKeyType,
} from "./dukpt-aes";
export {
  aesDukptLoadInitialKey, aesDukptNextTransaction, aesDukptWorkingKey, aesDukptExhausted, aesDukptNextKsn,
  zeroizeAesDukptState, type AesDukptDeviceState, type AesDukptTransaction,
} from "./dukpt-aes-device";
export {
  TDES_DUKPT_KSN_BYTES, TDES_DUKPT_VARIANTS, dukptTdesHostKey, dukptTdesIpek, tdesTransactionKey, tdesVariantKey,
  parseTdesKsn, tdesKsn, type TdesDukptVariant,
} from "./dukpt-tdes";
export {
  tdesDukptLoadInitialKey, tdesDukptNextTransaction, tdesDukptWorkingKey, tdesDukptExhausted, tdesDukptNextKsn,
  zeroizeTdesDukptState, type TdesDukptDeviceState, type TdesDukptTransaction,
} from "./dukpt-tdes-device";
export {
  PIN_BLOCK_FORMATS, encodePinBlock, decodePinBlock, encodePinBlockDigits, decodePinBlockDigits, checkPin,
  type PinBlockFormat, type PinBlockOptions, type OnlinePinEncryptor,
} from "./pin-block";
export { wrapKeyBlock, unwrapKeyBlock, deriveKeyBlockKeys, optionalBlock, type Tr31WrapOptions, type Tr31Unwrapped } from "./tr31";
export { parseHeader as parseKeyBlockHeader, type Tr31Header, type Tr31OptionalBlock, type Tr31Version } from "./tr31-header";
export { keyCheckValue, type KcvAlgorithm, type KcvMethod } from "./kcv";
export {
  SENSITIVE_TAGS, TRACK_TAGS, isSensitiveTag, maskPan, partitionCardData, envelopePlaintext, sealEnvelope,
  openEnvelope, openEnvelopeWithKeys, checkEnvelope,
  type SensitiveItem, type P2peEnvelope, type P2peScheme, type CardDataProtector,
} from "./p2pe";
export {
  beginDukptTransaction, protectTransaction, checkDukptDeviceState, zeroizeDukptState,
  type DukptDeviceState, type DukptTransactionKeys, type OnlinePinBlock,
} from "./device-transaction";
export { KeyStore, KEY_SLOTS, type KeySlot, type KeyStoreOptions, type KeyStoreStatus, type SlotStatus } from "./key-store";
export { TamperResponse, type TamperResponseOptions } from "./tamper";
