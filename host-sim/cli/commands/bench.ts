import { allowOnly, option } from "../args";
import type { Command } from "../command";
import type { BenchResult } from "../../bench/bench-result";
import { runBench } from "../../bench/run-bench";
import { benchReportHtml } from "../../bench/report";
import { mkdirSync, writeFileSync } from "fs";
import { dirname, resolve } from "path";

function fmt(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined) return "-";
  return Math.abs(n) >= 1000 ? Math.round(n).toString() : n.toPrecision(digits);
}

export const bench: Command = {
  path: ["bench"],
  summary: "measure speed and memory on Node and on the XS engine, beside the npm peers",
  usage: "mpos bench [--only GROUP] [--html FILE]\n  --only GROUP   run one group of figures (e.g. foundation)\n" +
    "  --html FILE    where the readable report (table and plots) goes (default dist/bench-report.html)",
  async run(args, io) {
    allowOnly(args, ["only", "html"]);
    const results = await runBench({ only: option(args, "only"), progress: (l) => io.stderr(l + "\n") });
    // Issue 12, item 5: the same figures as a readable report, written beside the JSON.
    const html = resolve(io.cwd, option(args, "html") ?? "dist/bench-report.html");
    mkdirSync(dirname(html), { recursive: true });
    writeFileSync(html, benchReportHtml(results, { date: new Date().toISOString(), host: `Node ${process.version} on ${process.platform}/${process.arch}` }));
    io.stderr(`bench: report written to ${html}\n`);
    return { results };
  },
  format(result) {
    const rows = (result as { results: BenchResult[] }).results;
    const head = ["name", "engine", "XS compute/op", "XS heap", "ms/op", "peer", "ours/peer", "value"];
    const lines = rows.map((r) => [r.name, r.engine, fmt(r.compute), fmt(r.heap), fmt(r.ms), r.peer ?? "-",
      fmt(r.ratio), r.value !== undefined ? `${fmt(r.value)} ${r.unit ?? ""}` : "-"]);
    const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
    return [row(head), row(widths.map((w) => "-".repeat(w))), ...lines.map(row)].join("\n");
  },
};
