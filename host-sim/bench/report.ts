import type { BenchResult } from "./bench-result";

// The readable bench report (issue 12, item 5): one self-contained HTML file with every figure in a
// table, grouped by kind (the first word of its name: tlv, dukpt, magstripe, contact, contactless,
// ble, heap...), each with its goal and, where a peer was measured in the same run, the peer and
// ours/peer; then SVG bar charts: ours/peer against the line 1 (below 1: faster than the peer), XS
// compute per figure, and every figure that has a value, one chart a kind and unit. No scripts, no
// external resources: it opens anywhere, and can be attached to a CI run.

export interface ReportMeta {
  /** When the bench ran (ISO 8601). */
  date: string;
  /** Where: Node version and platform, for the wall-clock figures. */
  host: string;
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function num(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "";
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return Number(n.toPrecision(digits)).toString();
}

/** The kind of a figure: the first word of its name. */
export function kindOf(r: BenchResult): string {
  return r.name.split(" ")[0];
}

interface Bar {
  label: string;
  value: number;
  note?: string;
}

/** A horizontal bar chart; `rule` draws a vertical line at that value (a goal, or 1 for ratios). */
export function barChart(title: string, bars: Bar[], options: { unit?: string; rule?: { at: number; label: string }; log?: boolean } = {}): string {
  const rowH = 22;
  const labelW = 430;
  const plotW = 360;
  const top = 30;
  const height = top + bars.length * rowH + 30;
  const values = bars.map((b) => b.value).concat(options.rule ? [options.rule.at] : []);
  const max = Math.max(...values, 0) || 1;
  const min = options.log ? Math.min(...values.filter((v) => v > 0)) / 2 : 0;
  const scale = (v: number): number => {
    if (!options.log) return (v / max) * plotW;
    const lo = Math.log10(min);
    const hi = Math.log10(max * 1.5);
    return v <= 0 ? 0 : ((Math.log10(v) - lo) / (hi - lo)) * plotW;
  };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + plotW + 120}" height="${height}" role="img" aria-label="${esc(title)}">`,
    `<text x="4" y="18" font-weight="bold" font-size="14">${esc(title)}${options.unit ? ` (${esc(options.unit)}${options.log ? ", log scale" : ""})` : ""}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, scale(b.value));
    const label = b.label.length > 70 ? `${b.label.slice(0, 67)}...` : b.label;
    parts.push(
      `<text x="${labelW - 6}" y="${y + 15}" font-size="11" text-anchor="end">${esc(label)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="#4a78b5"><title>${esc(b.label)}: ${num(b.value)}</title></rect>`,
      `<text x="${labelW + w + 4}" y="${y + 15}" font-size="11">${esc(num(b.value))}${b.note ? ` ${esc(b.note)}` : ""}</text>`,
    );
  });
  if (options.rule) {
    const x = labelW + scale(options.rule.at);
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${top + bars.length * rowH}" stroke="#c0392b" stroke-dasharray="4 3"/>`,
      `<text x="${labelW + plotW + 116}" y="${top + bars.length * rowH + 16}" font-size="11" fill="#c0392b" text-anchor="end">- - ${esc(options.rule.label)}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** A number in a goal's text ("under 60 s", "99.9 % or better", "at most 64 slots"), for the chart's rule. */
function goalLine(goal: string | undefined): { at: number; label: string } | undefined {
  if (!goal) return undefined;
  const m = /(under|at most|or better|below)\D*?([0-9]+(?:\.[0-9]+)?)|([0-9]+(?:\.[0-9]+)?)\s*%?\s*or better/.exec(goal);
  if (!m) return undefined;
  const at = Number(m[2] ?? m[3]);
  return Number.isFinite(at) ? { at, label: `goal: ${goal}` } : undefined;
}

function table(results: BenchResult[]): string {
  const head = ["figure", "engine", "XS compute", "XS heap (slots)", "ms/op", "peer", "ours/peer", "value", "goal"];
  const byKind = new Map<string, BenchResult[]>();
  for (const r of results) {
    const k = kindOf(r);
    if (!byKind.has(k)) byKind.set(k, []);
    (byKind.get(k) as BenchResult[]).push(r);
  }
  const rows: string[] = [];
  for (const [kind, list] of byKind) {
    rows.push(`<tr class="kind"><th colspan="${head.length}">${esc(kind)}</th></tr>`);
    for (const r of list) {
      const ratio = r.ratio === null ? "" : `<span class="${r.ratio < 1 ? "good" : "bad"}">${num(r.ratio)}</span>`;
      rows.push(`<tr><td>${esc(r.name)}</td><td>${r.engine}</td><td class="n">${num(r.compute)}</td><td class="n">${num(r.heap)}</td>` +
        `<td class="n">${num(r.ms)}</td><td>${esc(r.peer ?? "")}</td><td class="n">${ratio}</td>` +
        `<td class="n">${r.value !== undefined ? `${esc(num(r.value))} ${esc(r.unit ?? "")}` : ""}</td><td>${esc(r.goal ?? "")}</td></tr>`);
    }
  }
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

/** The whole report as one HTML document. */
export function benchReportHtml(results: BenchResult[], meta: ReportMeta): string {
  const charts: string[] = [];
  const peers = results.filter((r) => r.peer !== null && r.ratio !== null);
  if (peers.length > 0) {
    charts.push(barChart("ours / peer, measured in the same run", peers.map((r) => ({ label: `${r.name} vs ${r.peer}`, value: r.ratio as number })),
      { unit: "below 1: faster than the peer", rule: { at: 1, label: "as fast as the peer" }, log: true }));
  }
  const xs = results.filter((r) => r.engine === "xs" && r.compute !== null && r.compute > 0);
  if (xs.length > 0) charts.push(barChart("XS compute per operation", xs.map((r) => ({ label: r.name, value: r.compute as number })), { unit: "XS meter units", log: true }));
  const groups = new Map<string, BenchResult[]>();
  for (const r of results) {
    if (r.value === undefined || !Number.isFinite(r.value) || r.peer !== null) continue;
    const key = `${kindOf(r)}|${r.unit ?? ""}`;
    if (!groups.has(key)) groups.set(key, []);
    (groups.get(key) as BenchResult[]).push(r);
  }
  for (const [key, list] of groups) {
    const [kind, unit] = key.split("|");
    charts.push(barChart(kind, list.map((r) => ({ label: `${r.name} (${r.engine})`, value: r.value as number })),
      { unit, rule: goalLine(list[0].goal) }));
  }
  const withGoal = results.filter((r) => r.goal !== undefined).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mpos-reader bench report</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin: 12px 0 28px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.kind th { background: #eef2f7; font-size: 14px; }
.good { color: #1e7e34; } .bad { color: #c0392b; }
svg { display: block; margin: 8px 0 20px; }
</style></head><body>
<h1>mpos-reader: bench report</h1>
<p>${esc(meta.date)} on ${esc(meta.host)}. ${results.length} figures, ${withGoal} with a goal, ${peers.length} beside a peer.
XS compute (the engine's deterministic meter) and heap (live slots) do not depend on the machine; milliseconds do.</p>
${table(results)}
<h2>Plots</h2>
${charts.join("\n")}
</body></html>
`;
}
