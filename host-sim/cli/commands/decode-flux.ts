import { readFileSync } from "fs";
import { resolve } from "path";
import { InputError } from "../../../kernel/errors";
import { allowOnly, UsageError } from "../args";
import type { Command } from "../command";
import { decodeFluxReport, type FluxTrackReport } from "../../magstripe/reports";

export const decodeFluxCommand: Command = {
  path: ["decode", "flux"],
  summary: "decode a magnetic stripe swipe from flux-transition intervals (F2F, ISO/IEC 7811)",
  usage:
    "mpos decode flux <file.json> [--json]\n" +
    "  <file.json>      {\"tracks\":[{\"track\":1,\"intervalsUs\":[...]}, ...]}: per track, the microseconds\n" +
    "                   between successive flux transitions, in the order they passed the head",
  async run(args, io) {
    allowOnly(args, []);
    if (args.positional.length !== 1) throw new UsageError("expected one flux file");
    const path = resolve(io.cwd, args.positional[0]);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      throw new InputError("file", `cannot read ${args.positional[0]}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // The parser's own message may quote the file: say only that it is not JSON.
      throw new InputError("json", `${args.positional[0]} is not valid JSON`);
    }
    return decodeFluxReport(json);
  },
  format(result) {
    const tracks = (result as { tracks: FluxTrackReport[] }).tracks;
    return tracks.map((t) => t.ok
      ? `track ${t.track}  ok  ${t.direction}${t.errors ? `, ${t.errors} corrected` : ""}  ${t.data}`
      : `track ${t.track}  bad read (${t.reason})`).join("\n");
  },
};
