/**
 * One decoded BER-TLV data object (EMV Book 3, Annex B). `value` is a view into the decoded
 * buffer (no copy): overwriting or zeroizing that buffer changes it too.
 */
export interface Tlv {
  /** Uppercase hex of the tag field, e.g. "9F02". */
  tag: string;
  /** Length of the value field in bytes. */
  length: number;
  /** The whole value field, also for a constructed object. */
  value: Uint8Array;
  /** The objects inside the value; present if and only if the tag is constructed. */
  children?: Tlv[];
}

/**
 * The first object with `tag` in a depth-first, pre-order walk (a template before the objects it
 * holds, siblings in order), or undefined. The tag is matched without regard to case.
 */
export function findTag(nodes: readonly Tlv[], tag: string): Tlv | undefined {
  return findUpper(nodes, tag.toUpperCase());
}

function findUpper(nodes: readonly Tlv[], tag: string): Tlv | undefined {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.tag === tag) return node;
    if (node.children !== undefined) {
      const found = findUpper(node.children, tag);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
