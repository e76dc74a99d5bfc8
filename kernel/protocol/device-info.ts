import { decodeTlv } from "../tlv";
import { MessageError } from "./errors";
import { decodeFields, encodeFields, type FieldSpec } from "./fields";
import { DEVICE_INFO_MAX_BYTES } from "./gatt-service";
import { TAG } from "./tags";

// The value of the device-information characteristic (docs/protocol.md, "Device information"):
// BER-TLV, readable without pairing or encryption, so a phone can show which reader it found before
// it pairs. It holds nothing secret (no keys, no KSNs: those need an authenticated session).

export interface PublicDeviceInfo {
  model: string;
  serial: string;
  firmwareVersion: string;
  /** Protocol versions the reader speaks, one byte each. */
  protocolVersions: Uint8Array;
}

const FIELDS: readonly FieldSpec[] = [
  { name: "model", tag: TAG.model, type: { t: "text", min: 1, max: 32, charset: "ans" } },
  { name: "serial", tag: TAG.serial, type: { t: "text", min: 1, max: 24, charset: "an" } },
  { name: "firmwareVersion", tag: TAG.firmwareVersion, type: { t: "text", min: 1, max: 32, charset: "ans" } },
  { name: "protocolVersions", tag: TAG.protocolVersions, type: { t: "bytes", min: 1, max: 8 } },
];

export function encodeDeviceInfo(info: PublicDeviceInfo): Uint8Array {
  const out = encodeFields(FIELDS, info as unknown as Record<string, unknown>);
  if (out.length > DEVICE_INFO_MAX_BYTES) throw new MessageError("message-field", `device info: ${out.length} bytes, at most ${DEVICE_INFO_MAX_BYTES}`);
  return out;
}

export function decodeDeviceInfo(bytes: Uint8Array): PublicDeviceInfo {
  if (!(bytes instanceof Uint8Array) || bytes.length > DEVICE_INFO_MAX_BYTES) throw new MessageError("message-malformed", "device info: too long");
  let nodes;
  try {
    nodes = decodeTlv(bytes, { ffPadding: false });
  } catch {
    throw new MessageError("message-malformed", "device info: not BER-TLV");
  }
  return decodeFields(FIELDS, nodes) as unknown as PublicDeviceInfo;
}
