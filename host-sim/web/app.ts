/// <reference lib="dom" />
import { fromHex } from "../../kernel/bytes";
import type { IssuerEntry } from "../server/issuer-desk";
import type { LogEntry, SessionEvent, SessionState } from "../server/sim-session";
import type { WalletCard } from "../server/wallet";
import { api, byId } from "./dom";
import { PhoneApp } from "./phone-app";
import { beep, bindKeypad, renderReader } from "./reader-view";
import { addIssuerEntry, addLog, bindScenarios } from "./side-panels";
import { bindWallet, renderWallet } from "./wallet-view";

// The simulator page's script (served as /app.js, bundled by the server at start-up): it loads the
// session's status once, then follows the server's event stream (/events), redrawing the reader
// and the wallet on each state and appending log lines and issuer decisions as they come. The
// stream reconnects by itself when the server restarts.

interface Status {
  engine: string;
  state: SessionState;
  cards: WalletCard[];
  logs: LogEntry[];
  issuer: IssuerEntry[];
  fleetCaPublicKey: string;
  scenarios: string[];
}

let state: SessionState | null = null;
let cards: WalletCard[] = [];

function showError(message: string): void {
  addLog({ at: new Date().toISOString(), source: "reader", text: `page: ${message}` });
}

const hooks = {
  error: showError,
  cardsChanged: async () => {
    cards = await api<WalletCard[]>("/api/cards");
    renderWallet(cards, state, hooks);
  },
};

function render(s: SessionState): void {
  state = s;
  renderReader(s, cards);
  renderWallet(cards, s, hooks);
}

function follow(): void {
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/events`);
  const badge = byId("stream-state");
  ws.onopen = () => { badge.textContent = "live"; badge.className = "badge ok"; };
  ws.onclose = () => {
    badge.textContent = "reconnecting...";
    badge.className = "badge bad";
    setTimeout(follow, 1000);
  };
  ws.onmessage = (m) => {
    const e = JSON.parse(String(m.data)) as SessionEvent;
    if (e.type === "state") render(e.state);
    else if (e.type === "log") addLog(e.entry);
    else if (e.type === "beep") beep(e.tone);
    else if (e.type === "issuer") addIssuerEntry(e.entry);
  };
}

async function main(): Promise<void> {
  const status = await api<Status>("/api/status");
  byId("engine-badge").textContent = `firmware on ${status.engine === "xs" ? "XS" : "Node"}`;
  cards = status.cards;
  for (const l of status.logs) addLog(l);
  for (const i of status.issuer) addIssuerEntry(i);
  render(status.state);
  bindKeypad();
  bindWallet(hooks);
  bindScenarios(status.scenarios);
  new PhoneApp(() => state?.ble.url ?? status.state.ble.url, fromHex(status.fleetCaPublicKey)).bind();
  follow();
  document.body.dataset.ready = "true";
}

main().catch((e: Error) => {
  byId("stream-state").textContent = `error: ${e.message}`;
});
