import { SimSession, type LogEntry } from "../../host-sim/server/sim-session";
import { displayShows, pinReady, startPayment, typeKeys, waitFor } from "./support";

// The page's reader session on the Node engine (the browser test runs the same on XS): payments as
// the phone starts them and the page's hands make them, and every fault button of the page.

let s: SimSession;
const logs: LogEntry[] = [];
let terminal = "";

beforeAll(async () => {
  s = await SimSession.start({ engine: "node", log: (line) => { terminal += line; } });
  s.on((e) => { if (e.type === "log") logs.push(e.entry); });
});

afterAll(async () => {
  await s?.close();
});

afterEach(async () => {
  s.removeCard();
  await s.takeAway();
  await waitFor("the reader idle", () => s.state().transaction?.phase !== "processing");
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
  const p = startPayment(s, 1234);
  await displayShows(s, "USD 12.34");
  s.insert("visa-cda");
  await pinReady(s);
  await typeKeys(s, "1234");
  await displayShows(s, "****");
  await typeKeys(s, "E");
  const o = await p.outcome;
  expect(o.result).toBe("approved");
  expect(o.maskedPan).toBe("476173******0010");
  expect(o.cardInterface).toBe("contact");
  expect(p.events.filter((e) => e.kind === "pin-entry").map((e) => (e as { digits: number }).digits)).toEqual([1, 2, 3, 4]);
  expect(s.desk.recent().pop()?.decision).toMatchObject({ arc: "00", approved: true, pinVerified: true, arqcVerified: true });
  await displayShows(s, "APPROVED");
});

test("a wrong online PIN: the issuer declines with ARC 55 (ISO 8583 field 39)", async () => {
  const p = startPayment(s, 500);
  await displayShows(s, "USD 5.00");
  s.insert("visa-cda");
  await pinReady(s);
  await typeKeys(s, "9999E");
  const o = await p.outcome;
  expect(o.result).toBe("declined");
  expect(o.reason).toBe("declinedByIssuer");
  expect(s.desk.recent().pop()?.decision.arc).toBe("55");
});

test("magstripe: a swipe while the reader waits is read; a swipe between payments is lost", async () => {
  s.swipe("magstripe-only");
  expect(logs[logs.length - 1].text).toContain("not waiting for a card");
  const p = startPayment(s, 250);
  await displayShows(s, "USD 2.50");
  s.swipe("magstripe-only");
  await waitFor("PIN entry or the outcome", () => s.state().pinEntry || s.state().transaction?.phase === "done");
  if (s.state().pinEntry) await typeKeys(s, "1234E");
  const o = await p.outcome;
  expect(o.cardInterface).toBe("magstripe");
  expect(o.maskedPan).toBe("401288******1881");
});

test("tap: a card in the field is read by the contactless kernel; the card is taken away after the outcome", async () => {
  const p = startPayment(s, 750);
  await displayShows(s, "USD 7.50");
  await s.tap("visa-cda");
  const o = await p.outcome;
  expect(o.cardInterface).toBe("contactless");
  expect(o.result).toBe("approved");
  expect(s.state().field).toEqual([]);
});

test("RF collision: two cards in the field at once end the tap as a card error (Book A: present one card only)", async () => {
  await s.fault("rf-collision");
  expect(s.state().rfCollisionArmed).toBe(true);
  const p = startPayment(s, 300);
  await displayShows(s, "USD 3.00");
  await s.tap("visa-cda");
  const o = await p.outcome;
  expect(o.result).toBe("aborted");
  expect(o.reason).toBe("cardError");
  expect(s.state().rfCollisionArmed).toBe(false);
});

test("the cancel key while the reader waits for a card cancels the payment", async () => {
  const p = startPayment(s, 100);
  await displayShows(s, "USD 1.00");
  await typeKeys(s, "X");
  expect((await p.outcome).result).toBe("cancelled");
});

test("the phone cancels during PIN entry: the keypad wait ends, the payment does not approve", async () => {
  const p = startPayment(s, 100);
  await displayShows(s, "USD 1.00");
  s.insert("visa-cda");
  await pinReady(s);
  p.cancel();
  expect((await p.outcome).result).not.toBe("approved");
});

test("card removal during PIN entry: the chip is gone when the kernel goes on, the payment is not approved", async () => {
  const p = startPayment(s, 100);
  await displayShows(s, "USD 1.00");
  s.insert("mc-dda");
  await pinReady(s);
  await s.fault("card-removal");
  expect(s.state().slot).toBeNull();
  await typeKeys(s, "1234E");
  const o = await p.outcome;
  expect(o.result).not.toBe("approved");
});

test("low battery: on battery at 4 % the reader refuses payments until the charger is plugged in", async () => {
  await s.fault("low-battery");
  await displayShows(s, "BATTERY LOW");
  const refused = await startPayment(s, 100).outcome;
  expect(refused).toMatchObject({ result: "aborted", reason: "notAccepted" });
  expect((await s.status()).batteryPercent).toBe(4);
  await s.fault("charge");
  await displayShows(s, "WELCOME");
});

test("power loss in the middle of PIN entry: the firmware stops, nothing is approved; power on boots it again", async () => {
  const p = startPayment(s, 100);
  await displayShows(s, "USD 1.00");
  s.insert("visa-cda");
  await pinReady(s);
  await s.fault("power-loss");
  expect(s.state().powered).toBe(false);
  expect(s.state().ble.advertising).toBe(false);
  expect((await p.outcome).result).not.toBe("approved");
  s.removeCard();
  await s.fault("power-on");
  expect(s.state().powered).toBe(true);
  expect(s.state().keys).toBe("ready");
  await displayShows(s, "WELCOME");
});

test("tamper: opening the enclosure erases the keys; payments are refused until the reader is re-commissioned", async () => {
  await s.fault("tamper");
  await displayShows(s, "TAMPERED");
  expect(s.state().tampered).toBe(true);
  expect(await startPayment(s, 100).outcome).toMatchObject({ result: "aborted", reason: "tampered" });
  await s.fault("recommission");
  expect(s.state().tampered).toBe(false);
  expect(s.state().keys).toBe("ready");
  await displayShows(s, "WELCOME");
}, 30000);

test("a custom card from the editor: its own offline PIN is the one the chip accepts", async () => {
  const card = s.addCustomCard({ base: "mc-cda-offline-pin", label: "My card", cardholderName: "DEV/TESTER", pin: "4321" });
  expect(card.maskedPan).toBe("541333******0020");
  const p = startPayment(s, 1500);
  await displayShows(s, "USD 15.00");
  s.insert(card.id);
  await pinReady(s);
  await typeKeys(s, "4321E");
  const o = await p.outcome;
  expect(o.result).toBe("approved");
  expect(o.maskedPan).toBe("541333******0020");
}, 30000);

test("logs, on the page and on the terminal, never carry a full PAN", () => {
  const all = logs.map((l) => l.text).join("\n") + terminal;
  expect(all).toContain("476173******0010");
  for (const pan of ["4761739001010010", "5413330089010012", "4012888888881881", "5413330089010020"]) expect(all).not.toContain(pan);
});
