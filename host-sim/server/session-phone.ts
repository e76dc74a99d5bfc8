import { randomBytes } from "crypto";
import WebSocket from "ws";
import { BridgeTransport, MemoryCredentialStore, ReaderClient, type WebSocketLike } from "../../client";
import type { ReaderEvent, TransactionOutcome } from "../../kernel/protocol";
import { hostRandom } from "../reader/sim-reader";
import type { SimSession } from "./sim-session";

// A phone for the page's session without a browser (the session's tests, the leak check): the
// phone SDK (client/) over the session's GATT bridge, exactly as the page's demo phone app and any
// app connect, paired with the codes the reader's firmware shows on its display. Its acquirer is the
// session's issuer desk, as the page's phone posts to /api/acquirer/authorise.

export interface PhonePayment {
  outcome: Promise<TransactionOutcome>;
  /** The reader's events so far (prompts, card detected, PIN progress as a count, online request). */
  events: ReaderEvent[];
  cancel(): Promise<void>;
}

/** Resolves with the code the firmware shows under `title` (BLE PASSKEY, PAIRING CODE). */
export function codeOnDisplay(session: SimSession, title: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (lines: string[]): boolean => {
      if (lines[0] !== title || lines[1] === undefined) return false;
      off();
      clearTimeout(timer);
      resolve(lines[1]);
      return true;
    };
    const off = session.on((e) => { if (e.type === "state") check(e.state.display); });
    const timer = setTimeout(() => { off(); reject(new Error(`no ${title} on the reader's display`)); }, timeoutMs);
    check(session.state().display);
  });
}

export class SessionPhone {
  private constructor(readonly client: ReaderClient, private readonly session: SimSession) {}

  /** Connects to the session's bridge and pairs (LE passkey, then the reader's pairing code). */
  static async pair(session: SimSession, phoneName = "session phone"): Promise<SessionPhone> {
    const transport = new BridgeTransport({
      url: session.state().ble.url,
      WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike,
      passkey: () => codeOnDisplay(session, "BLE PASSKEY"),
    });
    const client = new ReaderClient({
      transport, fleetCaPublicKey: session.fleetCaPublicKey, credentials: new MemoryCredentialStore(randomBytes(8)), random: hostRandom,
      requestTimeoutMs: 120_000,
    });
    await client.connect();
    await client.pair({ phoneName, code: () => codeOnDisplay(session, "PAIRING CODE") });
    return new SessionPhone(client, session);
  }

  /** A purchase in the terminal's currency (US dollars, exponent 2), authorised by the session's issuer desk. */
  pay(amount: number): PhonePayment {
    const events: ReaderEvent[] = [];
    const started = this.client.startTransaction({ amount, currency: 840, currencyExponent: 2, transactionType: "purchase" }, {
      authorise: async (data) => this.session.desk.authorise(data),
    });
    const outcome = started.then(async (tx) => {
      for await (const e of tx.events) events.push(e);
      return tx.outcome;
    });
    return { outcome, events, cancel: async () => (await started).cancel() };
  }

  disconnect(): Promise<void> {
    return this.client.disconnect();
  }
}
