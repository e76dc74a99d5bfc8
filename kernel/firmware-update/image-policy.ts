import { FirmwareUpdateError } from "./errors";
import type { ImageHeader } from "./image-header";
import { formatVersion, versionCounter } from "./version";

/** What a reader accepts: its own product and hardware, no older version, an image that fits. */
export interface ImagePolicy {
  product: string;
  hardwareRevision: number;
  /** The anti-rollback counter: the packed version (versionCounter) of the newest image confirmed good. */
  rollbackCounter: number;
  /** The size of an OTA slot in bytes. */
  slotBytes: number;
}

/**
 * Checks a signed header against the reader (after the signature verified: these fields are ours).
 * The same version as the counter is accepted (a reinstall); an older one never is (issue 13,
 * item 3: the version must not go backwards).
 */
export function checkImagePolicy(header: ImageHeader, policy: ImagePolicy): void {
  if (header.product !== policy.product) {
    throw new FirmwareUpdateError("fw-product", `image: for product ${header.product}, this reader is ${policy.product}`);
  }
  if (header.hardwareRevision !== policy.hardwareRevision) {
    throw new FirmwareUpdateError("fw-hardware",
      `image: for hardware revision ${header.hardwareRevision}, this reader is revision ${policy.hardwareRevision}`);
  }
  if (versionCounter(header.version) < policy.rollbackCounter) {
    throw new FirmwareUpdateError("fw-rollback", `image: version ${formatVersion(header.version)} is older than this reader allows`);
  }
  if (header.imageLength === 0) throw new FirmwareUpdateError("fw-length", "image: empty");
  if (header.imageLength > policy.slotBytes) {
    throw new FirmwareUpdateError("fw-too-large", `image: ${header.imageLength} bytes does not fit a ${policy.slotBytes}-byte slot`);
  }
}
