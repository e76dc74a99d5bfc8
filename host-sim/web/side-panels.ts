/// <reference lib="dom" />
import type { ScenarioReport } from "../scenario/run-scenario";
import type { IssuerEntry } from "../server/issuer-desk";
import type { LogEntry } from "../server/sim-session";
import { api, byId, clock, h } from "./dom";

// The page's panels around the reader: the issuer host (what it received from the phone and what
// it decrypted from the P2PE envelope, card data masked by the server), the log, and the scenario
// runner (the scenario files of the transaction issue, run on the session's engine as
// `mpos sim run --scenario` runs them).

const MAX_LOG_LINES = 300;

export function addIssuerEntry(e: IssuerEntry): void {
  const d = e.decision;
  const flags = [
    d.decryptedByHost ? "envelope decrypted" : "envelope NOT decrypted",
    d.arqcVerified === undefined ? "" : d.arqcVerified ? "ARQC verified" : "ARQC FAILED",
    d.pinVerified === undefined ? "" : d.pinVerified ? "PIN verified" : "PIN wrong",
  ].filter((x) => x);
  const table = (title: string, items: { tag: string; name: string; value: string }[], open: boolean) => items.length === 0 ? null : h("details", open ? { open: "" } : {},
    h("summary", {}, `${title} (${items.length})`),
    h("table", {}, ...items.map((i) => h("tr", {}, h("td", { class: "tag" }, i.tag), h("td", {}, i.name), h("td", { class: "val" }, i.value)))));
  const card = h("div", { class: `issuer-entry ${d.approved ? "approved" : "declined"}` },
    h("div", { class: "issuer-head" }, `${clock(e.at)}  ARC ${d.arc} ${d.approved ? "APPROVED" : "DECLINED"} (${d.reason})`),
    h("div", {}, `${e.maskedPan ?? "no card"} \u00b7 ${e.cardInterface}${d.entry ? ` \u00b7 ${d.entry} data` : ""}`),
    h("div", { class: "hint" }, flags.join(" \u00b7 ")),
    e.envelope ? h("div", { class: "mono" }, `P2PE ${e.envelope.scheme}, KSN ${e.envelope.ksn}, ${e.envelope.bytes} bytes`) : null,
    e.pinBlock ? h("div", { class: "mono" }, `PIN block format ${e.pinBlock.format}, KSN ${e.pinBlock.ksn}`) : null,
    table("Received EMV data", e.received, false),
    table("Decrypted from the envelope (masked)", e.decrypted, true));
  byId("issuer-entries").prepend(card);
}

export function addLog(e: LogEntry): void {
  const log = byId("log");
  log.append(h("li", { class: `src-${e.source}` }, h("span", { class: "t" }, clock(e.at)), h("span", { class: "s" }, e.source), h("span", {}, e.text)));
  while (log.childElementCount > MAX_LOG_LINES) log.firstElementChild?.remove();
  log.scrollTop = log.scrollHeight;
}

function formatReport(r: ScenarioReport): string {
  const lines: string[] = [];
  for (const t of r.transactions.length > 0 ? r.transactions : [r]) {
    lines.push(`transaction ${t.transactionId ?? "-"}: ${t.outcome}${t.reason ? ` (${t.reason})` : ""}${t.interface ? `, ${t.interface}` : ""}, cvm ${t.cvm}` +
      `${t.maskedPan ? `, card ${t.maskedPan}` : ""}${t.arc ? `, ARC ${t.arc}` : ""}`);
  }
  lines.push(`prompts: ${r.prompts.join(" / ")}`);
  for (const e of r.log) lines.push(`  ${String(e.atMs).padStart(9)} ms  ${e.event}${e.transactionId !== undefined ? ` #${e.transactionId}` : ""}${e.phase ? ` ${e.phase}` : ""}${e.reason ? ` ${e.reason}` : ""}${e.detail ? ` ${e.detail}` : ""}`);
  for (const v of r.reversals) lines.push(`reversal #${v.transactionId} ${v.reason}`);
  return lines.join("\n");
}

/** A scenario file's "expect" (what its regression test checks) against the report, key by key. */
function checkExpectations(scenario: unknown, r: ScenarioReport): string {
  const expect = (scenario as { expect?: Record<string, unknown> }).expect;
  if (expect === null || typeof expect !== "object") return "";
  const report = r as unknown as Record<string, unknown>;
  const missed = Object.keys(expect).filter((k) => JSON.stringify(report[k]) !== JSON.stringify(expect[k]));
  if (missed.length === 0) return `\nexpectations of the file: all ${Object.keys(expect).length} met`;
  return "\nexpectations NOT met:\n" + missed.map((k) => `  ${k}: expected ${JSON.stringify(expect[k])}, got ${JSON.stringify(report[k])}`).join("\n");
}

export function bindScenarios(names: string[]): void {
  const select = byId<HTMLSelectElement>("scenario-select");
  for (const n of names) select.append(h("option", { value: n }, n));
  const text = byId<HTMLTextAreaElement>("scenario-text");
  const report = byId("scenario-report");
  select.addEventListener("change", () => {
    if (!select.value) return;
    api(`/api/scenario?name=${encodeURIComponent(select.value)}`).then((s) => { text.value = JSON.stringify(s, null, 2); }, (e: Error) => { report.textContent = `error: ${e.message}`; });
  });
  byId("scenario-run").addEventListener("click", () => {
    let scenario: unknown;
    try {
      scenario = JSON.parse(text.value);
    } catch {
      report.textContent = "error: the scenario is not JSON";
      return;
    }
    report.textContent = "running...";
    api<ScenarioReport>("/api/scenario/run", { scenario }).then((r) => { report.textContent = formatReport(r) + checkExpectations(scenario, r); }, (e: Error) => { report.textContent = `error: ${e.message}`; });
  });
}
