import { concat } from "../bytes";
import { isSensitiveTag } from "../security/p2pe";
import { encodeTlv, type Tlv } from "../tlv";
import { MessageError } from "./errors";

// A message body is a list of BER-TLV fields described by a table (docs/protocol.md, "Fields"):
// each field names its tag, its type and whether it is optional or repeated. One codec reads every
// table, so every field of every message is bounds-checked the same way, and a table is the
// protocol's documentation in code. Rules (ISO/IEC 8825-1 for the TLV; ours for the rest):
// - unknown tags are skipped (a newer peer may add optional fields: that is how messages grow);
// - a field given twice that is not repeated, or a required field missing, is "message-malformed";
// - a field of the wrong length, value or alphabet is "message-field";
// - EMV data in clear never holds a tag of kernel/security/p2pe's SENSITIVE_TAGS, either way.

export type FieldType =
  /** Big-endian unsigned integer of exactly `bytes` bytes, at most `max`. */
  | { t: "uint"; bytes: number; min?: number; max?: number }
  /** One byte, 00 false or 01 true. */
  | { t: "bool" }
  /** ASCII text: "an" letters and digits, "ans" printable ASCII (0x20 to 0x7E). */
  | { t: "text"; min: number; max: number; charset: "an" | "ans" }
  | { t: "bytes"; min: number; max: number }
  /** EMV format n (EMV Book 3, Annex A / 4.3): BCD digits, right-justified, leading zeros. */
  | { t: "n"; bytes: number }
  /** One byte naming one of a set (unknown numbers are "message-field"). */
  | { t: "enum"; values: Readonly<Record<string, number>> }
  /** One byte, a set of flags by bit (b1 = 0x01). */
  | { t: "flags"; values: Readonly<Record<string, number>> }
  /** A template of fields. */
  | { t: "record"; fields: readonly FieldSpec[] }
  /** A template of EMV data objects, kept whole: [{ tag, value }]. */
  | { t: "emv"; maxItems: number; clearOnly: boolean };

export interface FieldSpec {
  name: string;
  tag: string;
  type: FieldType;
  optional?: boolean;
  /** A list of up to `repeated` occurrences (0 allowed when optional). */
  repeated?: number;
}

export interface EmvItem {
  tag: string;
  value: Uint8Array;
}

export type FieldValues = Record<string, unknown>;

function fieldError(spec: FieldSpec, rule: string): MessageError {
  return new MessageError("message-field", `message: field ${spec.name} (${spec.tag}) ${rule}`);
}

function isConstructedTemplate(type: FieldType): boolean {
  return type.t === "record" || type.t === "emv";
}

// ---- encoding ----------------------------------------------------------------------------------

/** The BER-TLV of `values` by `specs`, in table order. */
export function encodeFields(specs: readonly FieldSpec[], values: FieldValues): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const spec of specs) {
    const v = values[spec.name];
    if (v === undefined || v === null) {
      if (spec.optional === true) continue;
      throw fieldError(spec, "is missing");
    }
    if (spec.repeated !== undefined) {
      if (!Array.isArray(v) || v.length > spec.repeated) throw fieldError(spec, `must be a list of at most ${spec.repeated}`);
      for (const item of v) parts.push(encodeTlv(spec.tag, encodeValue(spec, item)));
    } else {
      parts.push(encodeTlv(spec.tag, encodeValue(spec, v)));
    }
  }
  return concat(...parts);
}

function encodeValue(spec: FieldSpec, v: unknown): Uint8Array {
  const type = spec.type;
  switch (type.t) {
    case "uint": {
      const max = type.max ?? Math.pow(256, type.bytes) - 1;
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < (type.min ?? 0) || v > max) throw fieldError(spec, `must be an integer from ${type.min ?? 0} to ${max}`);
      const out = new Uint8Array(type.bytes);
      let x = v;
      for (let i = type.bytes - 1; i >= 0; i--) {
        out[i] = x % 256;
        x = Math.floor(x / 256);
      }
      return out;
    }
    case "bool":
      if (typeof v !== "boolean") throw fieldError(spec, "must be true or false");
      return Uint8Array.of(v ? 1 : 0);
    case "text": {
      if (typeof v !== "string" || v.length < type.min || v.length > type.max || !textAllowed(v, type.charset)) {
        throw fieldError(spec, `must be ${type.min} to ${type.max} characters of ${type.charset}`);
      }
      const out = new Uint8Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = v.charCodeAt(i);
      return out;
    }
    case "bytes":
      if (!(v instanceof Uint8Array) || v.length < type.min || v.length > type.max) throw fieldError(spec, `must be ${type.min} to ${type.max} bytes`);
      return v.slice();
    case "n": {
      const digits = type.bytes * 2;
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v >= Math.pow(10, digits)) throw fieldError(spec, `must fit ${digits} decimal digits`);
      const s = String(v).padStart(digits, "0");
      const out = new Uint8Array(type.bytes);
      for (let i = 0; i < type.bytes; i++) out[i] = ((s.charCodeAt(2 * i) - 48) << 4) | (s.charCodeAt(2 * i + 1) - 48);
      return out;
    }
    case "enum": {
      if (typeof v !== "string" || !Object.prototype.hasOwnProperty.call(type.values, v)) throw fieldError(spec, `must be one of ${Object.keys(type.values).join(", ")}`);
      return Uint8Array.of(type.values[v]);
    }
    case "flags": {
      if (!Array.isArray(v)) throw fieldError(spec, "must be a list of names");
      let b = 0;
      for (const name of v) {
        if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(type.values, name)) throw fieldError(spec, `has an unknown flag`);
        b |= type.values[name];
      }
      return Uint8Array.of(b);
    }
    case "record":
      if (v === null || typeof v !== "object") throw fieldError(spec, "must be a record");
      return encodeFields(type.fields, v as FieldValues);
    case "emv": {
      if (!Array.isArray(v) || v.length > type.maxItems) throw fieldError(spec, `must be a list of at most ${type.maxItems} EMV data objects`);
      const parts: Uint8Array[] = [];
      for (const item of v as EmvItem[]) {
        if (item === null || typeof item !== "object" || typeof item.tag !== "string" || !(item.value instanceof Uint8Array)) throw fieldError(spec, "holds an item that is not { tag, value }");
        if (type.clearOnly && isSensitiveTag(item.tag)) throw fieldError(spec, `may not carry ${item.tag.toUpperCase()} in clear`);
        parts.push(encodeTlv(item.tag, item.value));
      }
      return concat(...parts);
    }
  }
}

function textAllowed(s: string, charset: "an" | "ans"): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (charset === "an") {
      if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return false;
    } else if (c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

// ---- decoding ----------------------------------------------------------------------------------

/** The values of `specs` in `nodes` (decoded BER-TLV). Throws MessageError only. */
export function decodeFields(specs: readonly FieldSpec[], nodes: readonly Tlv[]): FieldValues {
  const out: FieldValues = {};
  for (const spec of specs) {
    const found: Tlv[] = [];
    for (const node of nodes) if (node.tag === spec.tag) found.push(node);
    if (found.length === 0) {
      if (spec.repeated !== undefined) {
        if (spec.optional !== true) throw new MessageError("message-malformed", `message: field ${spec.name} (${spec.tag}) is missing`);
        out[spec.name] = [];
      } else if (spec.optional !== true) {
        throw new MessageError("message-malformed", `message: field ${spec.name} (${spec.tag}) is missing`);
      }
      continue;
    }
    if (spec.repeated === undefined) {
      if (found.length > 1) throw new MessageError("message-malformed", `message: field ${spec.name} (${spec.tag}) given ${found.length} times`);
      out[spec.name] = decodeValue(spec, found[0]);
    } else {
      if (found.length > spec.repeated) throw fieldError(spec, `given ${found.length} times, at most ${spec.repeated}`);
      out[spec.name] = found.map((n) => decodeValue(spec, n));
    }
  }
  return out;
}

function decodeValue(spec: FieldSpec, node: Tlv): unknown {
  const type = spec.type;
  const v = node.value;
  if (isConstructedTemplate(type) !== (node.children !== undefined)) throw new MessageError("message-malformed", `message: field ${spec.name} (${spec.tag}) has the wrong form`);
  switch (type.t) {
    case "uint": {
      if (v.length !== type.bytes) throw fieldError(spec, `is ${v.length} bytes, expected ${type.bytes}`);
      let x = 0;
      for (let i = 0; i < v.length; i++) x = x * 256 + v[i];
      if (x < (type.min ?? 0) || (type.max !== undefined && x > type.max)) throw fieldError(spec, "is out of range");
      return x;
    }
    case "bool":
      if (v.length !== 1 || v[0] > 1) throw fieldError(spec, "is not 00 or 01");
      return v[0] === 1;
    case "text": {
      if (v.length < type.min || v.length > type.max) throw fieldError(spec, `is ${v.length} characters, expected ${type.min} to ${type.max}`);
      let s = "";
      for (let i = 0; i < v.length; i++) s += String.fromCharCode(v[i]);
      if (!textAllowed(s, type.charset)) throw fieldError(spec, `is not ${type.charset} text`);
      return s;
    }
    case "bytes":
      if (v.length < type.min || v.length > type.max) throw fieldError(spec, `is ${v.length} bytes, expected ${type.min} to ${type.max}`);
      return v.slice();
    case "n": {
      if (v.length !== type.bytes) throw fieldError(spec, `is ${v.length} bytes, expected ${type.bytes}`);
      let x = 0;
      for (let i = 0; i < v.length; i++) {
        const hi = v[i] >> 4;
        const lo = v[i] & 0x0f;
        if (hi > 9 || lo > 9) throw fieldError(spec, "is not decimal digits");
        x = x * 100 + hi * 10 + lo;
      }
      return x;
    }
    case "enum": {
      if (v.length !== 1) throw fieldError(spec, "is not one byte");
      for (const name of Object.keys(type.values)) if (type.values[name] === v[0]) return name;
      throw fieldError(spec, `has the unknown value ${v[0]}`);
    }
    case "flags": {
      if (v.length !== 1) throw fieldError(spec, "is not one byte");
      const names: string[] = [];
      let known = 0;
      for (const name of Object.keys(type.values)) {
        known |= type.values[name];
        if ((v[0] & type.values[name]) !== 0) names.push(name);
      }
      if ((v[0] & ~known) !== 0) throw fieldError(spec, "has unknown flags");
      return names;
    }
    case "record":
      return decodeFields(type.fields, node.children ?? []);
    case "emv": {
      const children = node.children ?? [];
      if (children.length > type.maxItems) throw fieldError(spec, `holds ${children.length} objects, at most ${type.maxItems}`);
      const items: EmvItem[] = [];
      for (const c of children) {
        if (type.clearOnly && isSensitiveTag(c.tag)) throw fieldError(spec, `carries ${c.tag} in clear`);
        items.push({ tag: c.tag, value: c.value.slice() });
      }
      return items;
    }
  }
}
