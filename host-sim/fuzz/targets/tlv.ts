import { fromHex } from "../../../kernel/bytes";
import { MposError } from "../../../kernel/errors";
import { buildDol, decodeTlv, parseDol } from "../../../kernel/tlv";
import type { FuzzTarget } from "../fuzz-target";

const isTyped = (e: unknown) => e instanceof MposError;

/** BER-TLV as a card sends it: records, FCIs, GENERATE AC responses. */
export const tlvTarget: FuzzTarget = {
  name: "tlv",
  seeds: () => [
    "701A9F390105571040123456789095D2512201197339300F82025900",
    "6F1A840E315041592E5359532E4444463031A5088801015F2D02656E",
    "77299F2701809F360200419F2608C74D18B08248FEFC9F10120110A0000F040000000000000000000000FF",
    "6F2F840E325041592E5359532E4444463031A51DBF0C1A61184F07A0000000031010500A564953412044454249548701019000",
  ].map(fromHex),
  run: (input) => {
    decodeTlv(input);
    decodeTlv(input, { lenient: true, ffPadding: false });
  },
  isDefinedError: isTyped,
};

/** DOLs from the card (PDOL, CDOL1/2, DDOL, TDOL) and building their data. */
export const dolTarget: FuzzTarget = {
  name: "dol",
  seeds: () => ["9F02069F03069F1A0295055F2A029A039C019F3704", "9F66049F02069F37045F2A02", "8A029F3704"].map(fromHex),
  run: (input) => {
    parseDol(input);
    buildDol(input, (tag) => (tag === "9F02" ? fromHex("000000001234") : undefined));
  },
  isDefinedError: isTyped,
};
