// Offline data authentication, EMV Book 2 sections 5 to 7: the CA public key store and revocation
// list, recovery of the issuer and ICC public keys, SDA, DDA and CDA signature verification, the
// static data to be authenticated (Book 3, 10.3) and offline PIN encipherment. Every check that
// card data can fail returns `{ ok: false, reason }`; only bad configuration throws.

export { OdaConfigError } from "./errors";
export type { OdaFailure, OdaOutcome } from "./errors";
export type { RsaPublicKey } from "./rsa-key";
export { isEmvExponent } from "./rsa-key";
export { CapkStore, capkChecksum, parseCaPublicKey, MAX_CA_MODULUS_BYTES } from "./capk-store";
export type { CaPublicKey } from "./capk-store";
export { CertificateRevocationList } from "./revocation-list";
export { certificateValidOn, keyValidOn } from "./dates";
export { recover, HASH_SHA1, PK_ALGORITHM_RSA } from "./recovery";
export { recoverIssuerPublicKey, cnDigits, ISSUER_CERTIFICATE_FORMAT } from "./issuer-public-key";
export type { IssuerPublicKey, IssuerCertificateInput } from "./issuer-public-key";
export { recoverIccPublicKey, recoverIccPinEnciphermentKey, ICC_CERTIFICATE_FORMAT } from "./icc-public-key";
export type { IccPublicKey, IccCertificateInput } from "./icc-public-key";
export { verifySignedStaticData, SSAD_FORMAT } from "./sda";
export { verifyDynamicSignature } from "./dda";
export { verifyCombinedSignature, transactionDataHashInput } from "./cda";
export type { CdaInput } from "./cda";
export { recoverSignedDynamicData, iccDynamicNumber, SDAD_FORMAT } from "./signed-dynamic-data";
export { staticDataToAuthenticate } from "./static-data";
export type { OdaRecord } from "./static-data";
export { encipherOfflinePin, PIN_ENCIPHERMENT_HEADER } from "./pin-encipherment";
