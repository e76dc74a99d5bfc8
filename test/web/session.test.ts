import { SessionPhone } from "../../host-sim/server/session-phone";
import { SimSession, type LogEntry } from "../../host-sim/server/sim-session";
import { cardWanted, displayShows, pinReady, removeWhenAsked, typeKeys, waitFor } from "./support";

// The page's reader session on the Node engine (the browser test runs the same on XS): the reader's
// own firmware on the page's hardware, a phone paired over the GATT bridge paying it as the page's
// hands present cards, and every fault button of the page as a hardware event into the firmware.

let s: SimSession;
let phone: SessionPhone;
const logs: LogEntry[] = [];
let terminal = "";

function startPayment(amount: number): ReturnType<SessionPhone["pay"]> {
  return phone.pay(amount);
}

beforeAll(async () => {
  s = await SimSession.start({ engine: "node", log: (line) => { terminal += line; } });
  s.on((e) => { if (e.type === "log") logs.push(e.entry); });
  phone = await SessionPhone.pair(s, "session test");
}, 60000);

afterAll(async () => {
  await phone?.disconnect().catch(() => undefined);
  await s?.close();
});

afterEach(async () => {
  s.removeCard();
  await s.takeAway();
  await waitFor("the reader idle", () => s.state().transaction === null || s.state().transaction?.phase === "done");
});

test("power-up: the firmware's self-tests pass, keys are ready, the idle screen says WELCOME", () => {
  const st = s.state();
  expect(st.powered).toBe(true);
  expect(st.selfTest?.failed).toBe(0);
  expect(st.keys).toBe("ready");
  expect(st.display[0]).toBe("WELCOME");
  expect(st.ble.advertising).toBe(true);
});

test("chip and PIN: the PIN typed on the keypad, PIN progress as a count, approved online by the issuer", async () => {
  const p = startPayment(1234);
  await displayShows(s, "12.34");
  s.insert("visa-cda");
  await pinReady(s);
  await typeKeys(s, "1234");
  await displayShows(s, "****");
  await typeKeys(s, "E");
  await removeWhenAsked(s);
  const o = await p.outcome;
  expect(o.result).toBe("approved");
  expect(o.maskedPan).toBe("476173******0010");
  expect(o.cardInterface).toBe("contact");
  expect(p.events.filter((e) => e.kind === "pin-entry").map((e) => (e as { digits: number }).digits)).toEqual([1, 2, 3, 4]);
  expect(s.desk.recent().pop()?.decision).toMatchObject({ arc: "00", approved: true, pinVerified: true, arqcVerified: true });
  // The firmware showed its outcome before it asked for the card.
  expect(logs.map((l) => l.text)).toContain("display: APPROVED");
});

test("a wrong online PIN: the issuer declines with ARC 55 (ISO 8583 field 39)", async () => {
  const p = startPayment(500);
  await displayShows(s, "5.00");
  s.insert("visa-cda");
  await pinReady(s);
  await typeKeys(s, "9999E");
  await removeWhenAsked(s);
  const o = await p.outcome;
  expect(o.result).toBe("declined");
  expect(o.reason).toBe("declinedByIssuer");
  expect(s.desk.recent().pop()?.decision.arc).toBe("55");
});

test("magstripe: a swipe while the reader waits is read; a swipe between payments is lost", async () => {
  s.swipe("magstripe-only");
  expect(logs[logs.length - 1].text).toContain("not waiting for a card");
  const p = startPayment(250);
  await displayShows(s, "2.50");
  s.swipe("magstripe-only");
  await waitFor("PIN entry or the outcome", () => s.state().pinEntry || s.state().transaction?.phase === "done");
  if (s.state().pinEntry) await typeKeys(s, "1234E");
  const o = await p.outcome;
  expect(o.cardInterface).toBe("magstripe");
  expect(o.maskedPan).toBe("401288******1881");
});

test("tap: a card in the field is read by the contactless kernel; the card is taken away after the outcome", async () => {
  const p = startPayment(750);
  await displayShows(s, "7.50");
  await s.tap("visa-cda");
  const o = await p.outcome;
  expect(o.cardInterface).toBe("contactless");
  expect(o.result).toBe("approved");
  await waitFor("the card taken away once the reader went back to idle", () => s.state().field.length === 0);
});

test("RF collision: with two cards in the field the firmware asks for one card only (Book A, 9.4 '19'); one card then pays", async () => {
  await s.fault("rf-collision");
  expect(s.state().rfCollisionArmed).toBe(true);
  const p = startPayment(300);
  await displayShows(s, "3.00");
  await s.tap("visa-cda");
  expect(s.state().field.length).toBe(2);
  expect(s.state().rfCollisionArmed).toBe(false);
  await displayShows(s, "PRESENT ONE CARD");
  await s.takeAway();
  await s.tap("visa-cda");
  const o = await p.outcome;
  expect(o).toMatchObject({ result: "approved", cardInterface: "contactless" });
});

test("the cancel key while the reader waits for a card cancels the payment", async () => {
  const p = startPayment(100);
  await displayShows(s, "1.00");
  await typeKeys(s, "X");
  expect((await p.outcome).result).toBe("cancelled");
});

test("the phone cancels during PIN entry: the keypad wait ends, the payment does not approve", async () => {
  const p = startPayment(100);
  await displayShows(s, "1.00");
  s.insert("visa-cda");
  await pinReady(s);
  await p.cancel();
  await removeWhenAsked(s);
  expect((await p.outcome).result).not.toBe("approved");
});

test("card removal during PIN entry: the chip is gone when the kernel goes on, the payment is not approved", async () => {
  const p = startPayment(100);
  await displayShows(s, "1.00");
  s.insert("mc-dda");
  await pinReady(s);
  await s.fault("card-removal");
  expect(s.state().slot).toBeNull();
  await typeKeys(s, "1234E");
  const o = await p.outcome;
  expect(o.result).not.toBe("approved");
});

test("low battery: on battery at 4 % the firmware's power manager refuses payments (BATTERY LOW) until the charger is plugged in", async () => {
  await s.fault("low-battery");
  expect(s.state().battery).toEqual({ percent: 4, charging: false });
  expect((await phone.client.getStatus()).batteryPercent).toBeLessThan(10);
  const refused = await startPayment(100).outcome;
  expect(refused).toMatchObject({ result: "failed", reason: "batteryLow" });
  await displayShows(s, "BATTERY LOW");
  await s.fault("charge");
  expect((await phone.client.getStatus()).charging).toBe(true);
  const p = startPayment(100);
  await cardWanted(s);
  await typeKeys(s, "X");
  expect((await p.outcome).result).toBe("cancelled");
});

test("power loss in the middle of PIN entry: the firmware stops, nothing is approved; power on boots a new device over the same storages", async () => {
  const p = startPayment(100);
  await displayShows(s, "1.00");
  s.insert("visa-cda");
  await pinReady(s);
  await s.fault("power-loss");
  expect(s.state().powered).toBe(false);
  expect(s.state().ble.advertising).toBe(false);
  expect(await p.outcome.then((o) => o.result, () => "link lost")).not.toBe("approved");
  s.removeCard();
  await s.fault("power-on");
  expect(s.state().powered).toBe(true);
  expect(s.state().keys).toBe("ready");
  await displayShows(s, "WELCOME");
  // The bond was kept in the reader's storage: the phone comes back without pairing again.
  await phone.client.connect();
  expect(phone.client.paired).toBe(true);
}, 30000);

test("power cut after the authorisation went out: the new device over the same storages recovers the log and the phone collects the reversal", async () => {
  let cut: Promise<void> | null = null;
  const tx = await phone.client.startTransaction({ amount: 1234, currency: 840, currencyExponent: 2, transactionType: "purchase", interfaces: ["contact"] }, {
    // The reader loses power while the phone holds its authorisation request.
    authorise: () => {
      cut ??= s.fault("power-loss");
      return new Promise(() => undefined);
    },
  });
  await cardWanted(s).catch(() => undefined);
  s.insert("visa-cda");
  await pinReady(s);
  await typeKeys(s, "1234E");
  await waitFor("the power cut", () => cut !== null);
  await cut;
  await tx.outcome.catch(() => undefined);
  s.removeCard();
  await s.fault("power-on");
  expect(logs.some((l) => /^mpos: transaction [0-9]+ recovered$/.test(l.text))).toBe(true);
  await phone.client.connect();
  const reversals = await phone.client.fetchReversals();
  expect(reversals.records.map((r) => [r.reason, r.amount, r.currency])).toEqual([["powerLoss", 1234, 840]]);
  expect(await phone.client.clearReversals(reversals.records[0].transactionId)).toBe(1);
}, 30000);

test("a REBOOT request from the phone: the firmware asks for a restart and the reader power-cycles", async () => {
  const before = logs.length;
  await phone.client.reboot();
  await waitFor("the reader back up", () => logs.slice(before).some((l) => /^started: running/.test(l.text)), 20000);
  expect(logs.slice(before).map((l) => l.text)).toContain("power lost (the firmware restarts)");
  await displayShows(s, "WELCOME");
  await phone.client.connect();
  expect(phone.client.paired).toBe(true);
}, 30000);

test("tamper: opening the enclosure erases the keys; payments are refused until the reader is re-commissioned", async () => {
  await s.fault("tamper");
  expect(s.state().tampered).toBe(true);
  await waitFor("the keys erased", () => s.state().keys === "tampered");
  expect(await startPayment(100).outcome).toMatchObject({ result: expect.not.stringMatching(/^approved$/) });
  expect((await phone.client.getStatus()).tampered).toBe(true);
  await s.fault("recommission");
  expect(s.state().tampered).toBe(false);
  expect(s.state().keys).toBe("ready");
  await displayShows(s, "WELCOME");
  // New keys, new bonds: the phone pairs again.
  phone = await SessionPhone.pair(s, "session test");
}, 60000);

test("a custom card from the editor: its own offline PIN is the one the chip accepts", async () => {
  const card = s.addCustomCard({ base: "mc-cda-offline-pin", label: "My card", cardholderName: "DEV/TESTER", pin: "4321" });
  expect(card.maskedPan).toBe("541333******0020");
  const p = startPayment(1500);
  await displayShows(s, "15.00");
  s.insert(card.id);
  await pinReady(s);
  await typeKeys(s, "4321E");
  await removeWhenAsked(s);
  const o = await p.outcome;
  expect(o.result).toBe("approved");
  expect(o.maskedPan).toBe("541333******0020");
}, 30000);

test("logs, on the page and on the terminal, never carry a full PAN", () => {
  const all = logs.map((l) => l.text).join("\n") + terminal;
  expect(all).toContain("476173******0010");
  for (const pan of ["4761739001010010", "5413330089010012", "4012888888881881", "5413330089010020"]) expect(all).not.toContain(pan);
  // The passkey and the pairing code are for the phone's user, on the display only.
  expect(all).toContain("display: PAIRING CODE");
  expect(all).not.toMatch(/(PASSKEY|PAIRING CODE) \/ [0-9]/);
});
