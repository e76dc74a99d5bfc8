// BER-TLV decoding and DOL building as services, the same on Node and on the XS engine. The CLI
// (`mpos decode tlv`, `mpos dol build`) calls the same functions, so a service answers exactly
// what the command prints with --json.
import { fromHex, toHex } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import { buildDol, decodeTlv, describeTlv, normalizeTag, type TlvDescription } from "../../../kernel/tlv";

/** Hex from outside, with the field it came from in the error message (never the content). */
function hexField(field: string, hex: string): Uint8Array {
  try {
    return fromHex(hex);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.code, `${field}: ${e.message}`);
    throw e;
  }
}

export interface DecodeTlvRequest {
  /** The BER-TLV data, hex. */
  hex: string;
  /** Read length octet 80 as length 0 (see DecodeOptions.lenient). */
  lenient?: boolean;
  /** FF is padding (the default) or starts a tag (EMV C-2 FF81xx templates). */
  ffPadding?: boolean;
}

/** `{ tlv: [...] }`: the decoded objects with their dictionary names. */
export function decodeTlvHex(request: DecodeTlvRequest): { tlv: TlvDescription[] } {
  if (request === null || typeof request !== "object" || typeof request.hex !== "string") {
    throw new InputError("tlv-request", "tlv.decode: expected { hex: string }");
  }
  const bytes = hexField("tlv data", request.hex);
  return { tlv: describeTlv(decodeTlv(bytes, { lenient: request.lenient === true, ffPadding: request.ffPadding !== false })) };
}

export interface BuildDolRequest {
  /** The DOL, hex. */
  dol: string;
  /** The terminal's data elements by tag, hex values. */
  data?: Record<string, string>;
}

/** `{ data: HEX }`: the data for the DOL, by the rules of EMV Book 3, 5.4. */
export function buildDolHex(request: BuildDolRequest): { data: string } {
  if (request === null || typeof request !== "object" || typeof request.dol !== "string") {
    throw new InputError("tlv-request", "tlv.dolBuild: expected { dol: string, data: { TAG: hex } }");
  }
  const dol = hexField("dol", request.dol);
  const values = new Map<string, Uint8Array>();
  const data = request.data === undefined ? {} : request.data;
  if (data === null || typeof data !== "object") throw new InputError("tlv-request", "tlv.dolBuild: data must map tags to hex");
  for (const key of Object.keys(data)) {
    const tag = normalizeTag(key);
    const hex = data[key];
    if (typeof hex !== "string") throw new InputError("tlv-request", `tlv.dolBuild: the value of ${tag} must be a hex string`);
    if (values.has(tag)) throw new InputError("tlv-request", `tlv.dolBuild: ${tag} given twice`);
    values.set(tag, hexField(`value of ${tag}`, hex));
  }
  return { data: toHex(buildDol(dol, (tag) => values.get(tag))) };
}

export const tlvServices: Record<string, (args: any) => unknown> = {
  "tlv.decode": (args: DecodeTlvRequest) => decodeTlvHex(args),
  "tlv.dolBuild": (args: BuildDolRequest) => buildDolHex(args),
};
