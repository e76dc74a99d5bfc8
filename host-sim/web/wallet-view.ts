/// <reference lib="dom" />
import type { SessionState } from "../server/sim-session";
import type { WalletCard } from "../server/wallet";
import { api, byId, h } from "./dom";

// The wallet: one tile per virtual card or phone, drawn as the card (scheme colour, masked PAN,
// expiry), with what can be done with it (insert, swipe, tap); the custom card editor; and the
// fault buttons. Every action is a call to the server; what follows comes back on the event stream.

/** The PAN grouped as embossed: 4-6-5 for 15 digits (American Express), else fours (ISO/IEC 7812). */
function embossed(pan: string): string {
  if (pan.length === 15) return `${pan.slice(0, 4)} ${pan.slice(4, 10)} ${pan.slice(10)}`;
  return pan.replace(/(.{4})/g, "$1 ").trim();
}

const SCHEME_NAMES: Record<string, string> = { visa: "VISA", mastercard: "mastercard", amex: "AMERICAN EXPRESS" };

export interface WalletHooks {
  error(message: string): void;
  cardsChanged(): Promise<void>;
}

function act(path: string, body: unknown, hooks: WalletHooks): void {
  api(path, body).catch((e: Error) => hooks.error(e.message));
}

export function renderWallet(cards: WalletCard[], state: SessionState | null, hooks: WalletHooks): void {
  const box = byId("cards");
  box.replaceChildren(...cards.map((c) => {
    const inSlot = state?.slot === c.id;
    const inField = state?.field.includes(c.id) ?? false;
    const buttons = h("div", { class: "card-actions" });
    if (c.interfaces.includes("contact")) buttons.append(h("button", { type: "button", "data-action": "insert" }, "Insert"));
    if (c.interfaces.includes("magstripe")) buttons.append(h("button", { type: "button", "data-action": "swipe" }, "Swipe"));
    if (c.interfaces.includes("contactless")) buttons.append(h("button", { type: "button", "data-action": "tap" }, c.formFactor === "phone" ? "Hold phone" : "Tap"));
    buttons.addEventListener("click", (e) => {
      const action = (e.target as HTMLElement).dataset.action;
      if (action) act(`/api/card/${action}`, { card: c.id }, hooks);
    });
    return h("div", { class: `vcard scheme-${c.scheme} form-${c.formFactor}${inSlot ? " in-slot" : ""}${inField ? " in-field" : ""}`, "data-card": c.id, title: c.description },
      h("div", { class: "vcard-top" }, h("span", { class: "vcard-label" }, c.label), h("span", { class: "vcard-scheme" }, SCHEME_NAMES[c.scheme] ?? c.scheme)),
      h("div", { class: "vcard-pan" }, embossed(c.maskedPan)),
      h("div", { class: "vcard-meta" }, `EXP ${c.expiry.slice(2, 4)}/${c.expiry.slice(0, 2)}`, c.chip === "emv" ? " \u00b7 chip" : c.chip === "mute" ? " \u00b7 broken chip" : "", c.custom ? " \u00b7 custom" : ""),
      buttons);
  }));
  const base = byId<HTMLSelectElement>("editor-base");
  const chosen = base.value;
  base.replaceChildren(...cards.filter((c) => c.chip === "emv" && !c.custom && c.formFactor === "card").map((c) => h("option", { value: c.id }, `${c.label} (${c.maskedPan})`)));
  if (chosen) base.value = chosen;
}

export function bindWallet(hooks: WalletHooks): void {
  byId("remove-card").addEventListener("click", () => act("/api/card/remove", {}, hooks));
  byId("take-away").addEventListener("click", () => act("/api/card/take-away", {}, hooks));
  for (const b of Array.from(byId("faults").querySelectorAll<HTMLButtonElement>("button[data-fault]"))) {
    b.addEventListener("click", () => act("/api/fault", { kind: b.dataset.fault }, hooks));
  }
  const form = byId<HTMLFormElement>("card-editor");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const body: Record<string, string> = {};
    new FormData(form).forEach((v, k) => {
      if (typeof v === "string" && v.trim() !== "") body[k] = v.trim();
    });
    byId("editor-error").textContent = "";
    api("/api/cards", body).then(async () => {
      form.reset();
      await hooks.cardsChanged();
    }, (err: Error) => { byId("editor-error").textContent = err.message; });
  });
}
