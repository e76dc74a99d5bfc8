import { FirmwareUpdateError } from "./errors";

// Firmware versions are MAJOR.MINOR.PATCH (Semantic Versioning 2.0.0, 2: three non-negative
// integers without leading zeros; pre-release and build suffixes are not used for reader images).
// Each part is 16 bits in the image header, so the whole version packs into 48 bits, which is the
// value of the anti-rollback counter (exact in a double).

export interface FirmwareVersion {
  major: number;
  minor: number;
  patch: number;
}

const PART_MAX = 0xffff;

/** SemVer 2.0.0, 2: a part is 0 or a digit string without leading zeros. */
const PART = /^(0|[1-9][0-9]{0,4})$/;

function checkPart(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > PART_MAX) {
    throw new FirmwareUpdateError("fw-field", `version: ${what} must be an integer from 0 to ${PART_MAX}`);
  }
  return value;
}

/** "1.2.3" -> { major: 1, minor: 2, patch: 3 }; anything else is a fw-field error. */
export function parseVersion(text: string): FirmwareVersion {
  if (typeof text !== "string") throw new FirmwareUpdateError("fw-field", "version: expected X.Y.Z");
  const parts = text.split(".");
  if (parts.length !== 3 || !parts.every((p) => PART.test(p))) {
    throw new FirmwareUpdateError("fw-field", "version: expected X.Y.Z, three decimal numbers without leading zeros");
  }
  return {
    major: checkPart(Number(parts[0]), "major"),
    minor: checkPart(Number(parts[1]), "minor"),
    patch: checkPart(Number(parts[2]), "patch"),
  };
}

export function formatVersion(v: FirmwareVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** The version as one number, ordered like SemVer precedence (11.4.1): major, then minor, then patch. */
export function versionCounter(v: FirmwareVersion): number {
  checkPart(v.major, "major");
  checkPart(v.minor, "minor");
  checkPart(v.patch, "patch");
  return (v.major * 0x10000 + v.minor) * 0x10000 + v.patch;
}

/** The inverse of versionCounter. */
export function versionFromCounter(counter: number): FirmwareVersion {
  if (!Number.isSafeInteger(counter) || counter < 0 || counter >= 2 ** 48) {
    throw new FirmwareUpdateError("fw-field", "version counter out of range");
  }
  return {
    major: Math.floor(counter / 2 ** 32),
    minor: Math.floor(counter / 0x10000) % 0x10000,
    patch: counter % 0x10000,
  };
}

/** <0, 0, >0 as a is older than, the same as, newer than b. */
export function compareVersions(a: FirmwareVersion, b: FirmwareVersion): number {
  return versionCounter(a) - versionCounter(b);
}
