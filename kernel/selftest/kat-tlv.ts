import { fromHex, toHex } from "../bytes";
import { buildDol, decodeTlv, TlvBuilder, TlvError, type Tlv } from "../tlv";
import type { KnownAnswerTest } from "./selftest";

// Known-answer tests of the BER-TLV codec and DOL building, with the published values of
// ../shared/vectors/tlv-dol.json (EMV Book 3, Annex B and 5.4). Not cryptographic, but every card
// response and every command the reader builds goes through this code: a broken build must not
// transact.

/** tlv-dol.json, tlv[0]: a READ RECORD response template with three primitive objects. */
const RECORD_HEX = "701A9F390105571040123456789095D2512201197339300F82025900";
const RECORD_CHILDREN: readonly [string, string][] = [
  ["9F39", "05"],
  ["57", "40123456789095D2512201197339300F"],
  ["82", "5900"],
];

/** tlv-dol.json, dol[0]. */
const DOL_HEX = "9F02069F03069F1A0295055F2A029A039C019F3704";
const DOL_DATA: Readonly<Record<string, string>> = {
  "95": "1234554321",
  "9C": "09",
  "9A": "240217",
  "5F2A": "0978",
  "9F02": "000123456789",
  "9F03": "000987654321",
  "9F37": "DEADBEEF",
  "9F1A": "0528",
};
const DOL_EXPECT = "00012345678900098765432105281234554321097824021709DEADBEEF";

function isPrimitive(node: Tlv | undefined, tag: string, valueHex: string): boolean {
  return node !== undefined && node.tag === tag && node.children === undefined &&
    node.length === valueHex.length / 2 && toHex(node.value) === valueHex;
}

function decodesTo(hex: string, tag: string, valueHex: string, lenient = false): boolean {
  const nodes = decodeTlv(fromHex(hex), { lenient });
  return nodes.length === 1 && isPrimitive(nodes[0], tag, valueHex);
}

export const tlvKats: KnownAnswerTest[] = [
  {
    name: "ber-tlv decode: constructed template 70 (tlv-dol.json tlv[0])",
    run: () => {
      const nodes = decodeTlv(fromHex(RECORD_HEX));
      const record = nodes[0];
      if (nodes.length !== 1 || record.tag !== "70" || record.length !== 26 || record.children === undefined) return false;
      const children = record.children;
      return children.length === RECORD_CHILDREN.length &&
        RECORD_CHILDREN.every(([tag, value], i) => isPrimitive(children[i], tag, value));
    },
  },
  {
    name: "ber-tlv decode: long-form lengths 81 and 84, 3-byte tag (tlv-dol.json tlv[1..3])",
    run: () =>
      decodesTo("9C8101FF", "9C", "FF") &&
      decodesTo("9F820101FF", "9F8201", "FF") &&
      decodesTo("9C8400000001FF", "9C", "FF"),
  },
  {
    name: "ber-tlv decode: length 80 refused when strict, length 0 when lenient (tlv-dol.json tlv[4])",
    run: () => {
      let refused = false;
      try {
        decodeTlv(fromHex("9C80"));
      } catch (e) {
        refused = e instanceof TlvError;
      }
      return refused && decodesTo("9C80", "9C", "", true);
    },
  },
  {
    name: "ber-tlv encode: template 70 re-encodes to the published bytes (tlv-dol.json tlv[0])",
    run: () => {
      const encoded = new TlvBuilder()
        .template("70", (b) => {
          for (const [tag, value] of RECORD_CHILDREN) b.add(tag, fromHex(value));
        })
        .toBytes();
      return toHex(encoded) === RECORD_HEX;
    },
  },
  {
    name: "dol build: EMV Book 3 5.4 (tlv-dol.json dol[0])",
    run: () => {
      const data = buildDol(fromHex(DOL_HEX), (tag) => {
        const hex = DOL_DATA[tag];
        return hex === undefined ? undefined : fromHex(hex);
      });
      return toHex(data) === DOL_EXPECT;
    },
  },
];
