import { concat, fromHex } from "../../../kernel/bytes";
import { encodeBlock, type T1Block } from "../../../kernel/iso7816";
import type { FuzzTarget } from "../fuzz-target";
import { runReaderSession, ScriptedSlot } from "./contact-line";
import { isTypedError } from "./outcome";

// Card-side bytes on the contact line (ISO/IEC 7816-3) through the reader's answer-to-reset, T=0 and
// T=1 engines: the fuzz input is everything the card sends in one session (contact-line.ts). The
// seeds below are well-formed sessions of the three APDUs of contact-line.ts, written out by the
// rules of the standard, answered the way the simulator's echo applet answers (host-sim/icc):
// SELECT echoes its 14 data bytes, READ RECORD returns 256 bytes 00..FF, VERIFY returns '9000'.

const OK = fromHex("9000");
const SELECT_DATA = Uint8Array.from("1PAY.SYS.DDF01", (c) => c.charCodeAt(0));
const RECORD = Uint8Array.from({ length: 256 }, (_, i) => i);
const u8 = (...b: number[]) => Uint8Array.from(b);

/** EMV Book 1, 8.3: the basic ATR for T=0, '3B 60 00 00'. */
const ATR_T0 = fromHex("3B600000");
/** EMV Book 1, 8.3: the basic ATR for T=1 (TD1 '81', TD2 '31', IFSC 254, BWI 4 CWI 5, TCK). */
const ATR_T1 = fromHex("3BE000008131FE45EB");

/**
 * ISO/IEC 7816-3:2006, 10.3.3 and 12.2: T=0. `nulls`: NULL bytes ('60') before each procedure byte
 * (10.3.3: the card asks for more time). `shortLe`: READ RECORD answered '6C 10' first (12.2.2,
 * case 2 with a wrong Le: the terminal sends the header again with P3 = '10').
 */
function t0Session(options: { nulls?: number; shortLe?: boolean; perByteAck?: boolean; sw?: Uint8Array }): Uint8Array {
  const wait = new Uint8Array(options.nulls ?? 0).fill(0x60);
  const sw = options.sw ?? OK;
  const parts: Uint8Array[] = [ATR_T0];
  // SELECT, case 4: ACK (INS), the data goes, '61 0E' (12.2.4: response bytes available), then
  // GET RESPONSE: ACK 'C0', 14 bytes, the status.
  parts.push(wait, u8(0xa4), wait, u8(0x61, SELECT_DATA.length), wait, u8(0xc0), SELECT_DATA, sw);
  // READ RECORD, case 2 with Le 256 (P3 '00').
  if (options.shortLe) parts.push(wait, u8(0x6c, 0x10), wait, u8(0xb2), RECORD.subarray(0, 16), sw);
  else parts.push(wait, u8(0xb2), RECORD, sw);
  // VERIFY, case 3: one ACK for all data, or INS xor 'FF' before every byte (10.3.3).
  if (options.perByteAck) for (let i = 0; i < 8; i++) parts.push(u8(0x20 ^ 0xff));
  else parts.push(wait, u8(0x20));
  parts.push(wait, sw);
  return concat(...parts);
}

const block = (b: T1Block) => encodeBlock(b);

/**
 * ISO/IEC 7816-3:2006, 11: T=1. The terminal's S(IFS request) answered (EMV Book 1, 9.2.4), then an
 * I-block a command; the 258-byte READ RECORD response comes chained (11.6.2) since IFSD is 254.
 * `wtx`: the card asks for more time with S(WTX request) before each answer (11.6.2.3). `ifs`: the
 * card asks the terminal for a smaller IFSC first.
 */
function t1Session(options: { wtx?: boolean; ifs?: number; badLrc?: boolean }): Uint8Array {
  const parts: Uint8Array[] = [ATR_T1, block({ kind: "S", type: "ifs", response: true, inf: u8(254) })];
  const answer = (b: T1Block) => {
    if (options.wtx) parts.push(block({ kind: "S", type: "wtx", response: false, inf: u8(2) }));
    if (options.ifs !== undefined) parts.push(block({ kind: "S", type: "ifs", response: false, inf: u8(options.ifs) }));
    parts.push(block(b));
  };
  answer({ kind: "I", ns: 0, more: false, inf: concat(SELECT_DATA, OK) });
  const record = concat(RECORD, OK);
  if (options.badLrc) {
    // 11.6.3.2: the first copy arrives with a wrong LRC; the terminal sends R(N(R), EDC error) and gets it again.
    const bad = block({ kind: "I", ns: 1, more: true, inf: record.subarray(0, 254) });
    bad[bad.length - 1] ^= 0x5a;
    parts.push(bad);
  }
  answer({ kind: "I", ns: 1, more: true, inf: record.subarray(0, 254) });
  parts.push(block({ kind: "I", ns: 0, more: false, inf: record.subarray(254) }));
  answer({ kind: "I", ns: 1, more: false, inf: OK });
  return concat(...parts);
}

/** What a T=0 card sends: ATR, procedure bytes ('60', ACK, '61xx', '6Cxx'), data, status. */
export const t0Target: FuzzTarget = {
  name: "iso7816-t0",
  seeds: () => [
    t0Session({}),
    t0Session({ nulls: 2 }),
    t0Session({ shortLe: true }),
    t0Session({ perByteAck: true, sw: fromHex("6283") }),
  ],
  maxLength: 1024,
  run: (input) => runReaderSession(new ScriptedSlot(input)),
  isDefinedError: isTypedError,
};

/** What a T=1 card sends: ATR, S-blocks (IFS, WTX), chained I-blocks, R-blocks, broken LRCs. */
export const t1Target: FuzzTarget = {
  name: "iso7816-t1",
  seeds: () => [t1Session({}), t1Session({ wtx: true }), t1Session({ ifs: 32 }), t1Session({ badLrc: true })],
  maxLength: 1024,
  run: (input) => runReaderSession(new ScriptedSlot(input)),
  isDefinedError: isTypedError,
};
