import { allowOnly, choice, option, UsageError } from "../args";
import type { Command } from "../command";
import { decodeAtrHex, type AtrDescription } from "../../xs-engine/services/iso7816";

export const decodeAtrCommand: Command = {
  path: ["decode", "atr"],
  summary: "decode an answer to reset (ISO 7816-3, clause 8) and judge it by EMV Book 1, 8.3",
  usage:
    "mpos decode atr <hex> [--reset cold|warm] [--json]\n" +
    "  <hex>            the ATR from TS on (several words are joined: 3B 65 00 00 ...)\n" +
    "  --reset KIND     judge it as the answer to a cold (default) or a warm reset",
  async run(args) {
    allowOnly(args, ["reset"]);
    if (args.positional.length === 0) throw new UsageError("expected the ATR in hex");
    const r = option(args, "reset");
    const reset = r === undefined ? "cold" : choice(r, ["cold", "warm"] as const, "--reset");
    return decodeAtrHex({ hex: args.positional.join(""), reset });
  },
  format(result) {
    const a = (result as { atr: AtrDescription }).atr;
    const lines = [
      `convention  ${a.convention}`,
      `protocols   ${a.protocols.map((p) => `T=${p}`).join(", ")}`,
      `Fi/Di       ${a.Fi}/${a.Di}`,
      `N           ${a.N}`,
    ];
    if (a.ifsc !== null) lines.push(`IFSC        ${a.ifsc}`, `BWI/CWI     ${a.bwi}/${a.cwi}`);
    lines.push(`historical  ${a.historical || "(none)"}`);
    lines.push(`TCK         ${a.tck === null ? "(absent)" : `${a.tck} (${a.tckValid ? "valid" : "WRONG"})`}`);
    lines.push(`EMV         ${a.emv ? "accepted" : "rejected"}`);
    for (const p of a.problems) lines.push(`  - ${p}`);
    return lines.join("\n");
  },
};
