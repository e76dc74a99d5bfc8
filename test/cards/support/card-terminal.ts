// A minimal terminal for driving a virtual card's applet in tests: whole APDUs in, data and status
// word out, plus the few steps every card test needs (select, GPO, read the AFL records). It
// implements no EMV rule beyond what a test states; the real kernel is kernel/emv.
import { fromHex, toHex, concat } from "../../../kernel/bytes";
import { decodeTlv, findTag, type Tlv } from "../../../kernel/tlv";
import type { IccApplet } from "../../../host-sim/icc/applet";

export interface Answer {
  data: Uint8Array;
  sw: number;
  tlv: Tlv[];
}

export function send(applet: IccApplet, command: string | Uint8Array): Answer {
  const bytes = typeof command === "string" ? fromHex(command) : command;
  const r = applet.process(bytes);
  const data = r.slice(0, r.length - 2);
  const sw = (r[r.length - 2] << 8) | r[r.length - 1];
  let tlv: Tlv[] = [];
  try {
    tlv = data.length > 0 ? decodeTlv(data) : [];
  } catch {
    tlv = [];
  }
  return { data, sw, tlv };
}

export function apdu(cla: number, ins: number, p1: number, p2: number, data?: Uint8Array, le?: number): Uint8Array {
  const head = Uint8Array.of(cla, ins, p1, p2);
  const body = data && data.length > 0 ? concat(Uint8Array.of(data.length), data) : new Uint8Array(0);
  return concat(head, body, le === undefined ? new Uint8Array(0) : Uint8Array.of(le & 0xff));
}

export const value = (nodes: Tlv[], tag: string): Uint8Array | undefined => findTag(nodes, tag)?.value;
export const hex = (b: Uint8Array | undefined): string => (b ? toHex(b) : "");

export function selectAid(applet: IccApplet, aid: string): Answer {
  return send(applet, apdu(0x00, 0xa4, 0x04, 0x00, fromHex(aid), 0));
}

export interface ReadApplication {
  fci: Answer;
  gpo: Answer;
  aip: Uint8Array;
  afl: Uint8Array;
  pdolData: Uint8Array;
  records: { sfi: number; record: Uint8Array; oda: boolean }[];
  data: Map<string, Uint8Array>;
}

/** SELECT the AID, GET PROCESSING OPTIONS with `pdolData` (zeros by default), READ RECORD per AFL. */
export function readApplication(applet: IccApplet, aid: string, pdolValues: Record<string, string> = {}): ReadApplication {
  const fci = selectAid(applet, aid);
  const pdol = value(fci.tlv, "9F38");
  let pdolData: Uint8Array = new Uint8Array(0);
  if (pdol) {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < pdol.length;) {
      const tagLen = (pdol[i] & 0x1f) === 0x1f ? 2 : 1;
      const tag = toHex(pdol.subarray(i, i + tagLen));
      const len = pdol[i + tagLen];
      parts.push(pdolValues[tag] ? fromHex(pdolValues[tag]) : new Uint8Array(len));
      i += tagLen + 1;
    }
    pdolData = concat(...parts);
  }
  const gpo = send(applet, apdu(0x80, 0xa8, 0x00, 0x00, concat(Uint8Array.of(0x83, pdolData.length), pdolData), 0));
  let aip: Uint8Array;
  let afl: Uint8Array;
  if (gpo.tlv[0]?.tag === "80") {
    aip = gpo.tlv[0].value.slice(0, 2);
    afl = gpo.tlv[0].value.slice(2);
  } else {
    aip = value(gpo.tlv, "82") as Uint8Array;
    afl = value(gpo.tlv, "94") as Uint8Array;
  }
  const records: ReadApplication["records"] = [];
  const data = new Map<string, Uint8Array>();
  for (let i = 0; i < afl.length; i += 4) {
    const sfi = afl[i] >> 3;
    for (let rec = afl[i + 1]; rec <= afl[i + 2]; rec++) {
      const r = send(applet, apdu(0x00, 0xb2, rec, (sfi << 3) | 4, undefined, 0));
      if (r.sw !== 0x9000) throw new Error(`READ RECORD ${sfi}/${rec}: ${r.sw.toString(16)}`);
      records.push({ sfi, record: r.data, oda: rec - afl[i + 1] < afl[i + 3] });
      for (const t of r.tlv[0].children ?? []) data.set(t.tag, t.value);
    }
  }
  return { fci, gpo, aip, afl, pdolData, records, data };
}

/** CDOL data in the card's CDOL order from tag -> hex values (zeros for the rest). */
export function dolData(dol: Uint8Array, values: Record<string, string>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < dol.length;) {
    const tagLen = (dol[i] & 0x1f) === 0x1f ? 2 : 1;
    const tag = toHex(dol.subarray(i, i + tagLen));
    const len = dol[i + tagLen];
    parts.push(values[tag] ? fromHex(values[tag]) : new Uint8Array(len));
    i += tagLen + 1;
  }
  return concat(...parts);
}

export function splitDol(dol: Uint8Array, data: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let o = 0;
  for (let i = 0; i < dol.length;) {
    const tagLen = (dol[i] & 0x1f) === 0x1f ? 2 : 1;
    const tag = toHex(dol.subarray(i, i + tagLen));
    const len = dol[i + tagLen];
    out.set(tag, data.slice(o, o + len));
    o += len;
    i += tagLen + 1;
  }
  return out;
}
