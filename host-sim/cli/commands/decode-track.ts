import { allowOnly, choice, option, UsageError } from "../args";
import type { Command } from "../command";
import { decodeTrackReport, type TrackReport } from "../../magstripe/reports";

export const decodeTrackCommand: Command = {
  path: ["decode", "track"],
  summary: "parse a magnetic stripe track (ISO/IEC 7813 tracks 1 and 2, ISO/IEC 4909 track 3), Luhn check",
  usage:
    "mpos decode track <string> [--track 1|2|3] [--json]\n" +
    "  <string>         the track, e.g. \"%B4111111111111111^DOE/JOHN^2812101?\" or \";4111111111111111=2812101?\"\n" +
    "                   (sentinels may be left out; quote it for the shell)\n" +
    "  --track N        the track number; by default '%' or a '^' separator means 1, otherwise 2",
  async run(args) {
    allowOnly(args, ["track"]);
    if (args.positional.length !== 1) throw new UsageError("expected one track string");
    const t = option(args, "track");
    const track = t === undefined ? undefined : Number(choice(t, ["1", "2", "3"] as const, "--track")) as 1 | 2 | 3;
    return decodeTrackReport(args.positional[0], track);
  },
  format(result) {
    const t = (result as { track: TrackReport }).track;
    const lines = [`track          ${t.number}`];
    if (t.formatCode !== null) lines.push(`format code    ${t.formatCode}`);
    lines.push(`PAN            ${t.pan ?? "(none)"}${t.luhn === null ? "" : t.luhn ? " (Luhn ok)" : " (Luhn FAILS)"}`);
    if (t.name !== null) lines.push(`name           ${t.name}`);
    if (t.number !== 3) {
      lines.push(`expiry         ${t.expiry ?? "(none)"}`);
      lines.push(`service code   ${t.serviceCode ?? "(none)"}`);
    }
    lines.push(`discretionary  ${t.discretionary || "(none)"}`);
    return lines.join("\n");
  },
};
