// Signed firmware updates with rollback (issue 13): the image format, its signature, the reader's
// update service and boot confirmation, the phone's transfer, and the transfer-time model.
export { FirmwareUpdateError, type FirmwareErrorCode } from "./errors";
export {
  parseVersion, formatVersion, versionCounter, versionFromCounter, compareVersions, type FirmwareVersion,
} from "./version";
export {
  encodeImageHeader, decodeImageHeader, HEADER_LENGTH, SIGNATURE_LENGTH, PREAMBLE_LENGTH, PRODUCT_LENGTH,
  KEY_ID_LENGTH, type ImageHeader,
} from "./image-header";
export { verifyPreamble, keyIdOf, ed25519Verify, checkPublicKey, PUBLIC_KEY_LENGTH, type SignedHeader } from "./signature";
export { checkImagePolicy, type ImagePolicy } from "./image-policy";
export { splitSignedImage, checkImageBytes, verifySignedImage, type SignedImageParts } from "./signed-image";
export { encodeProgressRecord, decodeProgressRecord, PROGRESS_RECORD_LENGTH, type ProgressRecord } from "./progress-record";
export { ActivityLock, type ReaderActivity } from "./activity-lock";
export {
  UpdateService, type UpdateReply, type UpdateStatus, type ReaderProgress, type UpdateServiceOptions,
} from "./update-service";
export { confirmBoot, type BootOutcome, type BootConfirmOptions } from "./boot-confirm";
export {
  transferFirmware, LinkLostError, type UpdateLink, type UpdateProgress, type TransferOptions, type TransferResult,
} from "./transfer";
export {
  modelTransferTime, chunkBytesForMtu, chunkLayoutForMtu, pduAirtimeUs, DEFAULT_BLE_LINK, type BleLinkAssumptions, type TransferTime,
} from "./transfer-model";
