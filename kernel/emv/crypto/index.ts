// EMV Book 2 symmetric cryptography: ICC master keys (A1.4), session keys (A1.3), application
// cryptograms (8.1, A1.2), ARPC methods 1 and 2 (8.2, A1.2), secure messaging for issuer scripts
// (section 9) and the Card Status Update of ARPC method 2.

export { EmvCryptoError } from "./errors";
export { withOddParity } from "./des-key";
export { deriveIccMasterKey } from "./icc-master-key";
export type { MasterKeyOption } from "./icc-master-key";
export {
  deriveCommonSessionKey, deriveAcSessionKey, deriveSecureMessagingSessionKey, acDiversification,
} from "./session-key";
export { applicationCryptogram, RECOMMENDED_AC_DATA, CCD_AC_DATA, cryptogramInput } from "./application-cryptogram";
export {
  arpcMethod1, arpcMethod2, issuerAuthenticationDataMethod1, issuerAuthenticationDataMethod2,
  verifyIssuerAuthentication,
} from "./arpc";
export type { IssuerAuthentication } from "./arpc";
export {
  SCRIPT_MAC_BYTES, scriptCommandMac, securedScriptCommand, verifyScriptCommandMac,
  encipherScriptData, decipherScriptData,
} from "./secure-messaging";
export type { ScriptCommandHeader } from "./secure-messaging";
export { encodeCardStatusUpdate, decodeCardStatusUpdate } from "./card-status-update";
export type { CardStatusUpdate } from "./card-status-update";
