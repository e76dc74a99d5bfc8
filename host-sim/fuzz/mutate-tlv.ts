import type { Prng } from "../magstripe/prng";

// Structure-aware mutations of a card's response APDU (data || SW1 SW2, ISO/IEC 7816-4, 5.1): the
// data field is parsed as BER-TLV (ISO/IEC 8825-1; EMV Book 3, Annex B) and one data object is
// changed the way a broken or hostile card changes it - dropped, repeated, emptied, given another
// tag, a value of the wrong length, a length that lies, a length in an unusual long form - while
// every other length stays consistent, so the change reaches the kernel's rules past the decoder.
// The status word is changed at the APDU level. A data field that is not BER-TLV (a GENERATE AC
// in format 1, a READ RECORD of a bad record) gets byte-level changes from mutate.ts instead.
//
// The parser here is the fuzzer's own, lenient and independent of kernel/tlv (the code under test).

interface TlvNode {
  tag: number[];
  /** Sub-objects of a constructed object (ISO/IEC 8825-1, 8.1.2.5: bit 6 of the first tag byte), else null. */
  children: TlvNode[] | null;
  value: number[];
  /** The length octets to write instead of the true ones (a length that lies). */
  length?: number[];
}

/** Tags the contact and contactless kernels act on (EMV Book 3, Annex A; Book C-2 and C-3, Annex A). */
const EMV_TAGS: readonly number[][] = [
  [0x57], [0x5a], [0x5f, 0x24], [0x5f, 0x34], [0x82], [0x8c], [0x8d], [0x8e], [0x8f], [0x90], [0x92], [0x93], [0x94],
  [0x9f, 0x10], [0x9f, 0x26], [0x9f, 0x27], [0x9f, 0x36], [0x9f, 0x38], [0x9f, 0x46], [0x9f, 0x47], [0x9f, 0x4b],
  [0x9f, 0x4c], [0x9f, 0x66], [0x9f, 0x6c], [0x9f, 0x69], [0x4f], [0x50], [0x61], [0x70], [0x77], [0x80], [0x84],
  [0x87], [0xa5], [0xbf, 0x0c], [0x6f], [0xdf, 0x81, 0x29],
];

/** Status words a card may answer (ISO/IEC 7816-4, 5.6; EMV Book 1, 9.4; Book 3, 6.3.5). */
const STATUS_WORDS: readonly number[][] = [
  [0x90, 0x00], [0x62, 0x83], [0x63, 0x00], [0x63, 0xc1], [0x69, 0x85], [0x69, 0x84], [0x6a, 0x81], [0x6a, 0x82],
  [0x6a, 0x83], [0x69, 0x86], [0x6d, 0x00], [0x6e, 0x00], [0x61, 0x10], [0x6c, 0x10], [0x6f, 0x00], [0x00, 0x00],
];

const MAX_DEPTH = 8;

function parse(bytes: Uint8Array, start: number, end: number, depth: number): TlvNode[] | null {
  const out: TlvNode[] = [];
  let at = start;
  while (at < end) {
    if (bytes[at] === 0x00 || bytes[at] === 0xff) { // padding between objects (EMV Book 3, Annex B1)
      at++;
      continue;
    }
    const tag = [bytes[at++]];
    if ((tag[0] & 0x1f) === 0x1f) {
      do {
        if (at >= end || tag.length > 3) return null;
        tag.push(bytes[at]);
      } while ((bytes[at++] & 0x80) !== 0);
    }
    if (at >= end) return null;
    let length = bytes[at++];
    if (length & 0x80) {
      const n = length & 0x7f;
      if (n === 0 || n > 2 || at + n > end) return null;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + bytes[at++];
    }
    if (at + length > end) return null;
    const constructed = (tag[0] & 0x20) !== 0 && depth < MAX_DEPTH;
    const children = constructed ? parse(bytes, at, at + length, depth + 1) : null;
    if (constructed && children === null) return null;
    out.push({ tag, children, value: children ? [] : Array.from(bytes.subarray(at, at + length)) });
    at += length;
  }
  return out;
}

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, (n >> 8) & 0xff, n & 0xff];
}

function encode(nodes: TlvNode[]): number[] {
  const out: number[] = [];
  for (const node of nodes) {
    const value = node.children ? encode(node.children) : node.value;
    out.push(...node.tag, ...(node.length ?? lengthOctets(value.length)), ...value);
  }
  return out;
}

/** Every object with the list that holds it. */
function flatten(nodes: TlvNode[], out: { list: TlvNode[]; node: TlvNode }[] = []): { list: TlvNode[]; node: TlvNode }[] {
  for (const node of nodes) {
    out.push({ list: nodes, node });
    if (node.children) flatten(node.children, out);
  }
  return out;
}

const valueLength = (node: TlvNode): number => (node.children ? encode(node.children).length : node.value.length);

const randomBytes = (rng: Prng, n: number): number[] => Array.from({ length: n }, () => rng.int(0, 255));

/** One structural change to one object of `nodes` (at least one). */
function changeObject(nodes: TlvNode[], rng: Prng): void {
  const all = flatten(nodes);
  const { list, node } = rng.pick(all);
  const index = list.indexOf(node);
  switch (rng.int(0, 8)) {
    case 0: // a mandatory object missing
      list.splice(index, 1);
      break;
    case 1: // an object twice (EMV Book 3, 10.2: a redundant object is an error)
      list.splice(index, 0, { ...node, children: node.children ? node.children.slice() : null, value: node.value.slice() });
      break;
    case 2: // an empty value
      node.children = node.children ? [] : null;
      node.value = [];
      break;
    case 3: // a value of another length
      if (node.children) node.children.push({ tag: rng.pick(EMV_TAGS).slice(), children: null, value: randomBytes(rng, rng.int(0, 8)) });
      else node.value = rng.int(0, 1) === 0 ? node.value.slice(0, rng.int(0, node.value.length)) : [...node.value, ...randomBytes(rng, rng.int(1, 6))];
      break;
    case 4: // another tag in its place
      node.tag = rng.pick(EMV_TAGS).slice();
      if ((node.tag[0] & 0x20) === 0 && node.children) {
        node.value = encode(node.children);
        node.children = null;
      } else if ((node.tag[0] & 0x20) !== 0 && !node.children) {
        node.children = [];
      }
      break;
    case 5: { // a length that lies, by a little
      const real = valueLength(node);
      const lie = real + rng.int(-3, 3);
      node.length = lengthOctets(lie === real ? real + 1 : Math.max(0, lie));
      break;
    }
    case 6: { // a long-form length (BER allows it; EMV Book 3, Annex B2 asks for the shortest)
      const real = valueLength(node);
      node.length = [0x82, (real >> 8) & 0xff, real & 0xff];
      break;
    }
    case 7: // the values of the object random (a cryptogram, a counter, a bitmap of nonsense)
      if (!node.children) node.value = randomBytes(rng, node.value.length);
      else node.children.reverse();
      break;
    default: // an unknown or proprietary object added beside it
      list.splice(index + 1, 0, { tag: [0xdf, rng.int(0x01, 0x7f)], children: null, value: randomBytes(rng, rng.int(0, 16)) });
  }
}

/**
 * A structure-aware mutation of `seed`: `headerBytes` of target-specific header kept, then a
 * response APDU. Returns null when the data field is not BER-TLV (the caller mutates bytes).
 */
export function mutateResponseTlv(seed: Uint8Array, rng: Prng, headerBytes: number): Uint8Array | null {
  if (seed.length < headerBytes + 2) return null;
  const dataEnd = seed.length - 2;
  let sw = [seed[dataEnd], seed[dataEnd + 1]];
  if (rng.int(0, 7) === 0) { // the APDU level: another status word, the data kept
    sw = rng.pick(STATUS_WORDS).slice();
    if (sw[0] === 0x61 || sw[0] === 0x6c) sw[1] = rng.int(0, 255);
    return Uint8Array.from([...seed.subarray(0, dataEnd), ...sw]);
  }
  const nodes = parse(seed, headerBytes, dataEnd, 0);
  if (nodes === null || nodes.length === 0) return null;
  const rounds = 1 + rng.int(0, 1);
  for (let r = 0; r < rounds && nodes.length > 0; r++) changeObject(nodes, rng);
  return Uint8Array.from([...seed.subarray(0, headerBytes), ...encode(nodes), ...sw]);
}
