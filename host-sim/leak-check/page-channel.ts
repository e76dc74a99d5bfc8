import { SessionPhone } from "../server/session-phone";
import { SimSession } from "../server/sim-session";
import { scanText, type LeakHit, type SecretSet } from "./scan";

// The web page's channel of the leak check: the simulator session behind `mpos sim serve` (issue
// 11), its event stream (/events: state snapshots, log lines, beeps, issuer decisions) and the log,
// while the page's hands pay with chip and PIN, a swipe and a tap, and cause faults (power loss and
// power on, card removal). The phone is the SDK over the session's GATT bridge, as the page's demo
// phone connects. Everything the page receives is scanned as the JSON it is sent as.

async function until(what: string, cond: () => boolean, timeoutMs = 20000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`leak check: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function keys(s: SimSession, text: string): Promise<void> {
  for (const ch of text) {
    s.press(ch === "E" ? "enter" : ch);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function scanPagePayments(secrets: SecretSet): Promise<{ events: number; outcomes: string[]; leaks: LeakHit[] }> {
  const sent: string[] = [];
  const outcomes: string[] = [];
  const s = await SimSession.start({ engine: "node", log: (line) => { sent.push(line); } });
  const off = s.on((e) => { sent.push(JSON.stringify(e)); });
  try {
    const phone = await SessionPhone.pair(s, "leak check");
    const waiting = () => s.state().transaction?.phase === "waiting-card";
    const runs: { amount: number; present(): Promise<void> }[] = [
      { amount: 1234, present: async () => {
        s.insert("visa-cda");
        await until("PIN entry", () => s.state().pinEntry);
        await keys(s, "1234E");
        // Book 4, 11.2 '10': the payment ends once the card is out.
        await until("REMOVE CARD", () => s.state().display.includes("REMOVE CARD"));
        s.removeCard();
      } },
      { amount: 250, present: async () => {
        s.swipe("magstripe-only");
        await until("PIN entry or the outcome", () => s.state().pinEntry || s.state().transaction?.phase === "done");
        if (s.state().pinEntry) await keys(s, "1234E");
      } },
      { amount: 750, present: async () => { await s.tap("visa-cda"); } },
    ];
    for (const run of runs) {
      const p = phone.pay(run.amount);
      await until("the reader to wait for a card", waiting);
      await run.present();
      const outcome = (await p.outcome) as { result: string; cardInterface?: string };
      outcomes.push(`${outcome.cardInterface ?? "-"} ${outcome.result}`);
      sent.push(JSON.stringify(outcome), JSON.stringify(p.events));
      s.removeCard();
      await s.takeAway();
    }
    await phone.disconnect();
    await s.fault("power-loss");
    await s.fault("power-on");
    sent.push(JSON.stringify(s.state()), JSON.stringify(s.recentLogs()));
  } finally {
    off();
    await s.close();
  }
  const leaks: LeakHit[] = [];
  for (const text of sent) leaks.push(...scanText(secrets, "web page events and log", text));
  return { events: sent.length, outcomes, leaks };
}
