import { buildDolHex } from "../../xs-engine/services/tlv";
import { allowOnly, UsageError } from "../args";
import type { Command } from "../command";

export const dolBuildCommand: Command = {
  path: ["dol", "build"],
  summary: "build the data for a DOL (EMV Book 3 5.4) from TAG=HEX values",
  usage:
    "mpos dol build <dolHex> [<TAG>=<HEX> ...] [--json]\n" +
    "  <dolHex>    the Data Object List (tag + one-byte length entries), hex\n" +
    "  TAG=HEX     a data element the terminal has, e.g. 9F02=000000001000; tags not given are zeros\n" +
    "  n values are truncated/padded on the left with 00, cn on the right with FF, others on the right with 00",
  async run(args) {
    allowOnly(args, []);
    if (args.positional.length === 0) throw new UsageError("expected a DOL in hex");
    const [dol, ...pairs] = args.positional;
    const data: Record<string, string> = {};
    const seen = new Set<string>();
    for (const pair of pairs) {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new UsageError(`expected TAG=HEX, got an argument without "="`);
      const tag = pair.slice(0, eq).toUpperCase();
      if (seen.has(tag)) throw new UsageError(`${tag} given twice`);
      seen.add(tag);
      data[tag] = pair.slice(eq + 1);
    }
    return buildDolHex({ dol, data });
  },
  format(result) {
    return (result as { data: string }).data;
  },
};
