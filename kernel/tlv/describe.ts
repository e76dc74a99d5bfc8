import { toHex } from "../bytes";
import { tagInfo } from "./dictionary";
import type { Tlv } from "./tlv";

/**
 * A decoded object as the CLI and the XS services show it: hex for bytes, the dictionary name,
 * and for text formats (a, an, ans) the text. Primitive objects carry `value`, constructed ones
 * `children`.
 */
export interface TlvDescription {
  tag: string;
  length: number;
  value?: string;
  name?: string;
  text?: string;
  children?: TlvDescription[];
}

/** JSON-able descriptions of decoded objects, in order. */
export function describeTlv(nodes: readonly Tlv[]): TlvDescription[] {
  const out: TlvDescription[] = [];
  for (const node of nodes) out.push(describeOne(node));
  return out;
}

function describeOne(node: Tlv): TlvDescription {
  const info = tagInfo(node.tag);
  if (node.children !== undefined) {
    const d: TlvDescription = { tag: node.tag, length: node.length };
    if (info !== undefined) d.name = info.name;
    d.children = describeTlv(node.children);
    return d;
  }
  const d: TlvDescription = { tag: node.tag, length: node.length, value: toHex(node.value) };
  if (info !== undefined) {
    d.name = info.name;
    if (info.format === "a" || info.format === "an" || info.format === "ans") d.text = displayText(node.value);
  }
  return d;
}

/**
 * Text of an a/an/ans value (EMV Book 3, 4.3: ISO/IEC 8859 common character set) for display:
 * printable ASCII and Latin-1 letters as they are, every other byte as ".".
 */
export function displayText(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    s += (b >= 0x20 && b <= 0x7e) || b >= 0xa0 ? String.fromCharCode(b) : ".";
  }
  return s;
}
