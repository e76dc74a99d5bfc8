import { KeyBlockError } from "./errors";

// The TR-31 / ANSI X9.143 key block header (ANSI X9.143:2021, 6.2 table 1) and its optional blocks
// (6.3.6), as text. Every field of a block from outside is checked against its alphabet here,
// before any cryptography runs; the key itself is in tr31.ts.
//
//   0      version ID           A | B | C | D
//   1-4    key block length     4 decimal digits: the length of the whole block in characters
//   5-6    key usage            e.g. B1 initial DUKPT key, P0 PIN encryption, K1 TR-31 KBPK
//   7      algorithm            A AES, D DEA, E ECC, H HMAC, R RSA, S DSA, T TDEA
//   8      mode of use          B C D E G N S T V X Y
//   9-10   key version number   2 alphanumeric characters ("00": none)
//   11     exportability        E, N or S
//   12-13  number of optional blocks (2 decimal digits)
//   14     key context (X9.143; "0" in TR-31:2018)
//   15     reserved "0"
//
// Optional block (6.3.6): ID (2 characters), length (2 hex digits, the whole optional block in
// characters; "00" announces an extended length: 2 hex digits giving the size of the length, then
// the length), then the data. PB is the padding block that makes the header a whole number of
// cipher blocks; it carries no information and is added and removed here.

export type Tr31Version = "A" | "B" | "C" | "D";

export interface Tr31OptionalBlock {
  /** Two characters, e.g. "KS" (initial KSN of a TDES DUKPT key), "IK" (AES DUKPT Initial Key ID). */
  id: string;
  /** Printable ASCII. */
  data: string;
}

export interface Tr31Header {
  version: Tr31Version;
  usage: string;
  algorithm: string;
  modeOfUse: string;
  keyVersion: string;
  exportability: string;
  /** In order, without the padding block PB. */
  optionalBlocks: Tr31OptionalBlock[];
  /** X9.143 key context (byte 14) when not "0": "1" storage only, "2" exchange only. */
  keyContext?: string;
}

export const TR31_HEADER_CHARS = 16;
/** X9.143:2021, 6.3.2 table 3. */
export const TR31_ALGORITHMS = "ADEHRST";
/** X9.143:2021, 6.3.3 table 4. */
export const TR31_MODES_OF_USE = "BCDEGNSTVXY";
/** X9.143:2021, 6.3.5 table 6. */
export const TR31_EXPORTABILITY = "ENS";

/** Cipher block size of a version: 8 (TDEA: A, B, C) or 16 (AES: D). */
export function cipherBlockChars(version: Tr31Version): number {
  return version === "D" ? 16 : 8;
}

function fail(code: string, message: string): never {
  throw new KeyBlockError(code, `tr31: ${message}`);
}

function isAlnum(ch: string): boolean {
  return /^[0-9A-Z]$/.test(ch);
}

function isPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function isDigits(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

export function isUpperHex(s: string): boolean {
  return /^[0-9A-F]*$/.test(s);
}

/** The header fields checked one by one (X9.143:2021, 6.3.1 to 6.3.5). */
export function checkHeaderFields(h: Omit<Tr31Header, "optionalBlocks" | "version">): void {
  if (typeof h.usage !== "string" || h.usage.length !== 2 || !isAlnum(h.usage[0]) || !isAlnum(h.usage[1])) {
    fail("tr31-header", "key usage must be 2 characters 0-9 A-Z");
  }
  if (typeof h.algorithm !== "string" || h.algorithm.length !== 1 || TR31_ALGORITHMS.indexOf(h.algorithm) < 0) {
    fail("tr31-header", `algorithm must be one of ${TR31_ALGORITHMS.split("").join(", ")}`);
  }
  if (typeof h.modeOfUse !== "string" || h.modeOfUse.length !== 1 || TR31_MODES_OF_USE.indexOf(h.modeOfUse) < 0) {
    fail("tr31-header", `mode of use must be one of ${TR31_MODES_OF_USE.split("").join(", ")}`);
  }
  if (typeof h.keyVersion !== "string" || h.keyVersion.length !== 2 || !/^[0-9A-Za-z]{2}$/.test(h.keyVersion)) {
    fail("tr31-header", "key version must be 2 alphanumeric characters");
  }
  if (typeof h.exportability !== "string" || h.exportability.length !== 1 || TR31_EXPORTABILITY.indexOf(h.exportability) < 0) {
    fail("tr31-header", "exportability must be E, N or S");
  }
  if (h.keyContext !== undefined && (h.keyContext !== "1" && h.keyContext !== "2")) {
    fail("tr31-header", "key context must be 0, 1 or 2");
  }
}

/** X9.143:2021, 6.3.6: per-block rules for the blocks this reader acts on. */
function checkOptionalBlock(b: Tr31OptionalBlock): void {
  if (typeof b.id !== "string" || b.id.length !== 2 || !isAlnum(b.id[0]) || !isAlnum(b.id[1])) {
    fail("tr31-optional-block", "an optional block ID is 2 characters 0-9 A-Z");
  }
  if (typeof b.data !== "string" || !isPrintable(b.data)) {
    fail("tr31-optional-block", `optional block ${b.id} must hold printable ASCII`);
  }
  // KS: the initial key serial number of a DUKPT key, hex (20 digits for TDES, 16 or 24 for AES).
  if (b.id === "KS" && (!isUpperHex(b.data) || (b.data.length !== 16 && b.data.length !== 20 && b.data.length !== 24))) {
    fail("tr31-optional-block", "optional block KS must be 16, 20 or 24 hex digits");
  }
  // IK: the Initial Key ID of an AES DUKPT key, 16 hex digits.
  if (b.id === "IK" && (!isUpperHex(b.data) || b.data.length !== 16)) {
    fail("tr31-optional-block", "optional block IK must be 16 hex digits");
  }
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, "0");
}

function encodeOptionalBlock(b: Tr31OptionalBlock): string {
  const short = 4 + b.data.length;
  if (short <= 0xff) return b.id + hex(short, 2) + b.data;
  // Extended length (6.3.6): "00", the length of the length ("04"), then 4 hex digits.
  const extended = 10 + b.data.length;
  if (extended > 0xffff) fail("tr31-optional-block", `optional block ${b.id} is too long`);
  return b.id + "0004" + hex(extended, 4) + b.data;
}

/**
 * The header text (16 characters and the optional blocks, with a padding block PB when needed so
 * that it fills whole cipher blocks), for a key block whose total length is `totalChars`.
 */
export function formatHeader(h: Tr31Header, totalChars: number): string {
  checkHeaderFields(h);
  const blocks = h.optionalBlocks.map((b) => {
    checkOptionalBlock(b);
    if (b.id === "PB") fail("tr31-optional-block", "the padding block PB is added by the encoder");
    return encodeOptionalBlock(b);
  });
  let optional = blocks.join("");
  const bs = cipherBlockChars(h.version);
  let count = blocks.length;
  if ((TR31_HEADER_CHARS + optional.length) % bs !== 0) {
    const padLength = 4 + ((bs - ((TR31_HEADER_CHARS + optional.length + 4) % bs)) % bs);
    optional += "PB" + hex(padLength, 2) + "0".repeat(padLength - 4);
    count++;
  }
  if (count > 99) fail("tr31-optional-block", "at most 99 optional blocks");
  if (totalChars > 9999) fail("tr31-length", "a key block is at most 9999 characters");
  return h.version + String(totalChars).padStart(4, "0") + h.usage + h.algorithm + h.modeOfUse + h.keyVersion +
    h.exportability + String(count).padStart(2, "0") + (h.keyContext ?? "0") + "0" + optional;
}

/** The header length (in characters) formatHeader will produce, to compute the total length first. */
export function headerChars(h: Tr31Header): number {
  return formatHeader(h, 0).length;
}

/**
 * Parses and checks the header of an untrusted key block. Returns the header and the number of
 * characters it spans (16 plus the optional blocks).
 */
export function parseHeader(block: string): { header: Tr31Header; chars: number } {
  if (typeof block !== "string" || block.length < TR31_HEADER_CHARS) fail("tr31-length", "a key block is at least 16 characters");
  if (!isPrintable(block)) fail("tr31-header", "a key block is printable ASCII");
  const version = block[0];
  if (version === "A" || version === "C") {
    fail("tr31-version", `version ${version} (key variant binding, deprecated by X9.143) is not accepted; use B or D`);
  }
  if (version !== "B" && version !== "D") fail("tr31-version", "unknown key block version (B and D are supported)");
  const lengthField = block.slice(1, 5);
  if (!isDigits(lengthField)) fail("tr31-length", "the key block length field is not 4 digits");
  if (Number(lengthField) !== block.length) {
    fail("tr31-length", `the length field says ${Number(lengthField)} characters, the block has ${block.length}`);
  }
  const context = block[14];
  if (context !== "0" && context !== "1" && context !== "2") fail("tr31-header", "key context must be 0, 1 or 2");
  if (block[15] !== "0") fail("tr31-header", "the reserved header character must be 0");
  const header: Tr31Header = {
    version,
    usage: block.slice(5, 7),
    algorithm: block[7],
    modeOfUse: block[8],
    keyVersion: block.slice(9, 11),
    exportability: block[11],
    optionalBlocks: [],
  };
  if (context !== "0") header.keyContext = context;
  checkHeaderFields(header);
  const countField = block.slice(12, 14);
  if (!isDigits(countField)) fail("tr31-header", "the number of optional blocks is not 2 digits");
  let pos = TR31_HEADER_CHARS;
  for (let n = Number(countField); n > 0; n--) {
    if (pos + 4 > block.length) fail("tr31-optional-block", "an optional block is truncated");
    const id = block.slice(pos, pos + 2);
    let lengthHex = block.slice(pos + 2, pos + 4);
    if (!/^[0-9A-Fa-f]{2}$/.test(lengthHex)) fail("tr31-optional-block", `optional block ${id}: length is not hex`);
    let length = parseInt(lengthHex, 16);
    let dataStart = pos + 4;
    if (length === 0) {
      // Extended length: size of the length field, then the length (6.3.6).
      const sizeHex = block.slice(pos + 4, pos + 6);
      if (!/^[0-9A-Fa-f]{2}$/.test(sizeHex)) fail("tr31-optional-block", `optional block ${id}: extended length is truncated or not hex`);
      const size = parseInt(sizeHex, 16);
      lengthHex = block.slice(pos + 6, pos + 6 + size);
      if (size === 0 || size > 4 || lengthHex.length !== size || !/^[0-9A-Fa-f]+$/.test(lengthHex)) {
        fail("tr31-optional-block", `optional block ${id}: extended length is truncated or not hex`);
      }
      length = parseInt(lengthHex, 16);
      dataStart = pos + 6 + size;
    }
    if (length < dataStart - pos) fail("tr31-optional-block", `optional block ${id}: length ${length} is shorter than its own header`);
    if (pos + length > block.length) fail("tr31-optional-block", `optional block ${id} is truncated`);
    const b = { id, data: block.slice(dataStart, pos + length) };
    checkOptionalBlock(b);
    if (id !== "PB") header.optionalBlocks.push(b);
    pos += length;
  }
  if (pos % cipherBlockChars(header.version) !== 0) {
    fail("tr31-optional-block", "the header and optional blocks do not fill whole cipher blocks (padding block missing)");
  }
  return { header, chars: pos };
}

/** ASCII text to bytes (the MAC covers the header as characters). */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
}
