import type { TlvDescription } from "../../../kernel/tlv";
import { decodeTlvHex } from "../../xs-engine/services/tlv";
import { allowOnly, flag, UsageError } from "../args";
import type { Command } from "../command";

/** One line per object, children indented, in the manner of emv-utils' emv-decode. */
function renderTree(nodes: readonly TlvDescription[], depth: number, lines: string[]): void {
  const indent = "  ".repeat(depth);
  for (const n of nodes) {
    const head = `${indent}${n.tag} | ${n.name ?? "(unknown tag)"} : [${n.length}]`;
    if (n.children !== undefined) {
      lines.push(head);
      renderTree(n.children, depth + 1, lines);
    } else {
      lines.push(`${head} ${n.value ?? ""}${n.text !== undefined ? ` "${n.text}"` : ""}`);
    }
  }
}

export const decodeTlvCommand: Command = {
  path: ["decode", "tlv"],
  summary: "decode BER-TLV data objects (EMV Book 3 Annex B) with their EMV names",
  usage:
    "mpos decode tlv <hex> [--lenient] [--ff-tags] [--json]\n" +
    "  <hex>       the BER-TLV data (00 and FF padding between objects is skipped)\n" +
    "  --lenient   read length octet 80 as length 0 (strict decoding refuses it)\n" +
    "  --ff-tags   FF starts a tag (EMV C-2 FF81xx templates) instead of being padding",
  booleanFlags: ["lenient", "ff-tags"],
  async run(args) {
    allowOnly(args, ["lenient", "ff-tags"]);
    if (args.positional.length !== 1) throw new UsageError("expected one hex argument");
    return decodeTlvHex({ hex: args.positional[0], lenient: flag(args, "lenient"), ffPadding: !flag(args, "ff-tags") });
  },
  format(result) {
    const lines: string[] = [];
    renderTree((result as { tlv: TlvDescription[] }).tlv, 0, lines);
    return lines.length === 0 ? "(no data objects)" : lines.join("\n");
  },
};
