/// <reference lib="dom" />
import type { CredentialStore } from "../../client/credentials";
import { ReaderClient, type ReaderTransaction } from "../../client/reader-client";
import { BridgeTransport } from "../../client/transports/bridge";
import { fromHex, isHex, toHex } from "../../kernel/bytes";
import type { AuthorisationData, OnlineAnswer, ReaderEvent, TransactionOutcome } from "../../kernel/protocol";
import { decodeWire, encodeWire } from "../server/page-wire";
import { byId, h } from "./dom";

// The demo phone app, built on the phone SDK (client/) exactly as a merchant's app is: it connects
// to the reader over the simulator's GATT bridge (BridgeTransport, a WebSocket standing in for the
// radio), secures the link with the passkey the reader shows, opens the secure session against the
// pinned fleet CA, pairs with the code the reader shows, then takes payments: amount, pay, the
// reader's events as they come, the outcome and a receipt. The reader's online request goes to the
// acquirer (the simulator's issuer host, POST /api/acquirer/authorise) and the answer back to the
// reader. Only what the SDK hands the app is shown: the masked PAN, EMV results, the KSN.

const CURRENCY = { code: 840, exponent: 2, alpha: "USD" };

/** The phone's keystore, in the browser's localStorage (a real app uses the iOS Keychain or Android Keystore). */
class BrowserCredentials implements CredentialStore {
  async phoneId(): Promise<Uint8Array> {
    const saved = localStorage.getItem("mpos.phoneId");
    if (saved !== null && isHex(saved) && saved.length === 16) return fromHex(saved);
    const id = crypto.getRandomValues(new Uint8Array(8));
    localStorage.setItem("mpos.phoneId", toHex(id));
    return id;
  }

  async bondKey(serial: string): Promise<Uint8Array | undefined> {
    const v = localStorage.getItem(`mpos.bond.${serial}`);
    return v !== null && isHex(v) ? fromHex(v) : undefined;
  }

  async saveBond(serial: string, key: Uint8Array): Promise<void> {
    localStorage.setItem(`mpos.bond.${serial}`, toHex(key));
  }

  async removeBond(serial: string): Promise<void> {
    localStorage.removeItem(`mpos.bond.${serial}`);
  }
}

function words(camel: string): string {
  const s = camel.replace(/([A-Z])/g, " $1").toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function minorUnits(text: string): number | null {
  const m = /^([0-9]{1,9})(?:\.([0-9]{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

function major(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}

async function acquirer(data: AuthorisationData): Promise<OnlineAnswer> {
  const res = await fetch("/api/acquirer/authorise", { method: "POST", headers: { "content-type": "application/json" }, body: encodeWire(data) });
  if (!res.ok) return { result: "unable" };
  return decodeWire(await res.text()) as OnlineAnswer;
}

export class PhoneApp {
  private client: ReaderClient | null = null;
  private tx: ReaderTransaction | null = null;
  private codeWaiter: ((code: string) => void) | null = null;

  constructor(private readonly bleUrl: () => string, private readonly fleetCaPublicKey: Uint8Array) {}

  bind(): void {
    byId("phone-connect").addEventListener("click", () => void this.connect());
    byId("phone-code-ok").addEventListener("click", () => this.submitCode());
    byId<HTMLInputElement>("phone-code").addEventListener("keydown", (e) => { if (e.key === "Enter") this.submitCode(); });
    byId<HTMLFormElement>("phone-pay-area").addEventListener("submit", (e) => {
      e.preventDefault();
      void this.pay();
    });
    byId("phone-cancel").addEventListener("click", () => { this.tx?.cancel().catch(() => undefined); });
  }

  private status(text: string): void {
    byId("phone-link").textContent = text;
  }

  private event(text: string, cls = ""): HTMLLIElement {
    const li = h("li", cls ? { class: cls } : {}, text);
    byId("phone-events").append(li);
    li.scrollIntoView({ block: "nearest" });
    return li;
  }

  /** Asks the user for the code the reader displays (the passkey, then the pairing code). */
  private askCode(label: string): Promise<string> {
    byId("phone-code-label").textContent = label;
    byId("phone-code-area").hidden = false;
    const input = byId<HTMLInputElement>("phone-code");
    input.value = "";
    input.focus();
    return new Promise((resolve) => { this.codeWaiter = resolve; });
  }

  private submitCode(): void {
    const w = this.codeWaiter;
    if (!w) return;
    this.codeWaiter = null;
    byId("phone-code-area").hidden = true;
    w(byId<HTMLInputElement>("phone-code").value.trim());
  }

  async connect(): Promise<void> {
    byId<HTMLButtonElement>("phone-connect").disabled = true;
    this.status("connecting...");
    const transport = new BridgeTransport({
      url: this.bleUrl(),
      passkey: () => this.askCode("Bluetooth pairing: enter the passkey shown on the reader"),
      linkBond: { load: () => localStorage.getItem("mpos.linkBond") ?? undefined, save: (b) => localStorage.setItem("mpos.linkBond", b) },
    });
    const client = new ReaderClient({ transport, fleetCaPublicKey: this.fleetCaPublicKey, credentials: new BrowserCredentials() });
    try {
      const info = await client.connect();
      this.status(`${info.model} ${info.serial}: secure session`);
      if (!client.paired) {
        await client.pair({ phoneName: "Demo phone", code: (left) => this.askCode(`Pairing: enter the code shown on the reader (${left} tries left)`) });
      }
      transport.onDisconnect((reason) => this.disconnected(reason));
      this.client = client;
      this.status(`paired with ${info.serial}`);
      this.event(`Connected to ${info.model} ${info.serial} (firmware ${info.firmwareVersion})`, "ok");
      byId("phone-connect-area").hidden = true;
      byId("phone-pay-area").hidden = false;
    } catch (e) {
      this.status("not connected");
      this.event(`Connection failed: ${e instanceof Error ? e.message : String(e)}`, "bad");
      byId("phone-code-area").hidden = true;
      byId<HTMLButtonElement>("phone-connect").disabled = false;
      await client.disconnect().catch(() => undefined);
    }
  }

  private disconnected(reason: string): void {
    this.client = null;
    this.status("not connected");
    this.event(`Disconnected: ${reason}`, "bad");
    byId("phone-pay-area").hidden = true;
    byId("phone-connect-area").hidden = false;
    byId<HTMLButtonElement>("phone-connect").disabled = false;
  }

  async pay(): Promise<void> {
    const client = this.client;
    const amount = minorUnits(byId<HTMLInputElement>("phone-amount").value);
    if (client === null || this.tx !== null) return;
    if (amount === null || amount < 1) {
      this.event("Enter an amount such as 12.34", "bad");
      return;
    }
    byId("phone-receipt").hidden = true;
    byId("phone-events").replaceChildren();
    byId<HTMLButtonElement>("phone-pay").disabled = true;
    byId<HTMLButtonElement>("phone-cancel").disabled = false;
    this.event(`Payment of ${CURRENCY.alpha} ${major(amount)} started`);
    try {
      const tx = await client.startTransaction(
        { amount, currency: CURRENCY.code, currencyExponent: CURRENCY.exponent, transactionType: "purchase" },
        { authorise: (data) => acquirer(data) },
      );
      this.tx = tx;
      let pin: HTMLLIElement | null = null;
      for await (const e of tx.events) {
        if (e.kind === "pin-entry") {
          pin ??= this.event("");
          pin.textContent = `PIN entry: ${"\u2022".repeat(e.digits)}`;
        } else {
          this.event(this.describe(e));
        }
      }
      this.receipt(tx.id, amount, await tx.outcome);
    } catch (e) {
      this.event(`Payment failed: ${e instanceof Error ? e.message : String(e)}`, "bad");
    } finally {
      this.tx = null;
      byId<HTMLButtonElement>("phone-pay").disabled = false;
      byId<HTMLButtonElement>("phone-cancel").disabled = true;
    }
  }

  private describe(e: ReaderEvent): string {
    switch (e.kind) {
      case "prompt": return `Reader: ${words(e.prompt)}`;
      case "card-detected": return `Card detected (${e.cardInterface})`;
      case "online-request": return `Authorising with the acquirer${e.authorisation.maskedPan ? ` (card ${e.authorisation.maskedPan})` : ""}`;
      case "outcome": return `Outcome: ${e.outcome.result}${e.outcome.reason ? ` (${words(e.outcome.reason)})` : ""}`;
      default: return "";
    }
  }

  private receipt(id: number, amount: number, o: TransactionOutcome): void {
    const tag = (t: string) => o.emvData.find((x) => x.tag === t)?.value;
    const arc = tag("8A");
    const lines: [string, string][] = [
      ["SALE", `${CURRENCY.alpha} ${major(amount)}`],
      ["CARD", o.maskedPan ?? "-"],
      ["ENTRY", o.cardInterface ?? "-"],
      ["RESULT", o.result.toUpperCase() + (o.reason ? ` (${words(o.reason)})` : "")],
    ];
    if (arc) lines.push(["ARC", String.fromCharCode(...Array.from(arc))]);
    const tvr = tag("95");
    if (tvr) lines.push(["TVR", toHex(tvr)]);
    const tsi = tag("9B");
    if (tsi) lines.push(["TSI", toHex(tsi)]);
    if (o.envelope) lines.push(["KSN", toHex(o.envelope.ksn)]);
    lines.push(["TXN", `#${id}  ${new Date().toLocaleString("en-GB")}`]);
    const r = byId("phone-receipt");
    r.replaceChildren(
      h("div", { class: `receipt-head ${o.result}` }, o.result === "approved" ? "APPROVED" : o.result.toUpperCase()),
      ...lines.map(([k, v]) => h("div", { class: "receipt-line" }, h("span", {}, k), h("span", {}, v))),
      h("div", { class: "receipt-foot" }, "Card data encrypted at the reader (P2PE)"),
    );
    r.dataset.result = o.result;
    r.hidden = false;
  }
}
