import { readUint } from "../bytes";
import { indicatorsFor } from "../contactless/ui";
import type { AuthorizationResult } from "../emv/online";
import type { CardOutcome } from "./card-reading";
import { readContactCard } from "./contact-reading";
import { readContactlessCard } from "./contactless-reading";
import type { ReaderEvent } from "./events";
import type { OutcomeSummary, PaymentOutcomeKind, ReversalReason } from "./journal-record";
import type { PaymentMachine } from "./payment";
import { CONTACTLESS_POLL_SLICE_MS } from "./payment";
import { PinEntry } from "./pin-entry";
import type { Prompt } from "./prompts";
import type { Action } from "./state-machine";
import { readSwipedCard } from "./swipe-reading";

// The actions of the payment table (state-machine.ts), one function each, in the table's order.
// An action may raise an event (PaymentMachine.raise) that the loop handles next: that is how a
// key press becomes "PIN finished", or a card read "retry" or "final", without guards in the table.

type Handler = (m: PaymentMachine, e: ReaderEvent) => void | Promise<void>;

const of = <K extends ReaderEvent["kind"]>(e: ReaderEvent, kind: K): Extract<ReaderEvent, { kind: K }> => {
  if (e.kind !== kind) throw new Error(`payment: action expected ${kind}, got ${e.kind}`);
  return e as Extract<ReaderEvent, { kind: K }>;
};

/** ISO 4217 numeric code of the terminal's currency ('5F2A', n3 in two bytes of BCD). */
function currencyNumber(m: PaymentMachine): number {
  const b = m.options.env.terminal.currencyCode;
  return Number(((readUint(b)).toString(16)));
}

function contactlessAllowed(m: PaymentMachine): boolean {
  const limit = m.options.config.contactlessLimit;
  return !m.contactlessRefused && m.options.device.pcd !== undefined && m.options.env.contactless !== undefined &&
    (limit === undefined || m.request.amount < limit);
}

/** The interfaces armed for this wait: those enabled, present, and not refused by the fallback rules. */
function interfacesToArm(m: PaymentMachine): PaymentMachine["armed"] {
  const d = m.options.device;
  return m.interfaces.filter((i) => (i === "contact" && d.slot !== undefined) || (i === "magstripe" && d.head !== undefined) ||
    (i === "contactless" && contactlessAllowed(m)));
}

function armPrompt(armed: readonly string[]): Prompt {
  if (armed.indexOf("contactless") >= 0) return "presentCard";
  const contact = armed.indexOf("contact") >= 0;
  const stripe = armed.indexOf("magstripe") >= 0;
  return contact && stripe ? "insertOrSwipeCard" : contact ? "insertCard" : "swipeCard";
}

/** Stops listening on the interfaces; the field stays on for a card just activated in it. */
async function disarm(m: PaymentMachine, keepField: boolean): Promise<void> {
  const d = m.options.device;
  m.armGeneration++;
  if (m.armed.indexOf("magstripe") >= 0 && d.head) d.head.cancel();
  if (m.armed.indexOf("contactless") >= 0 && d.pcd && !keepField) await d.pcd.close();
  m.armed = [];
}

/** The outcome to report when the state machine ended the transaction itself. */
function abortKind(code: string): PaymentOutcomeKind {
  return code === "cancelled" ? "cancelled" : code === "card-removed" ? "card-removed" : code === "timeout" ? "timeout" : "end-application";
}

function outcomePrompt(o: PaymentOutcomeKind, reason: string | undefined): Prompt {
  switch (o) {
    case "approved":
    case "online-approved":
      return "approved";
    case "declined":
    case "online-declined":
      return "declined";
    case "cancelled":
      return "cancelled";
    case "timeout":
      return "timedOut";
    default:
      if (reason === undefined) return "processingError";
      if (reason.indexOf("not-accepted") === 0) return "notAccepted";
      if (reason.indexOf("card-data") === 0) return "cardError";
      // A chip card swiped where this payment takes no chip: ISO/IEC 7813 service code 2xx/6xx.
      if (reason.indexOf("use-chip") === 0) return "useChipReader";
      // Book A, 6.2: the card asks for another interface and this payment has none left.
      if (reason.indexOf("try-another-interface") === 0) return "insertOrSwipeCard";
      return "processingError";
  }
}

/**
 * Which reversal the issuer is owed (EMV Book 3, 10.9 and 10.11): the request went out and no
 * answer came; or the issuer approved and the payment does not stand (the card declined, or the
 * transaction was cancelled, timed out or lost its card after the request).
 */
function reversalFor(m: PaymentMachine, outcome: PaymentOutcomeKind): ReversalReason | undefined {
  const online = m.online;
  if (!online) return undefined;
  if (!online.answered) return outcome === "cancelled" || outcome === "card-removed" ? "cancelledAfterAuthorisation" : "noResponse";
  if (!online.approved || outcome === "online-approved") return undefined;
  return outcome === "online-declined" || outcome === "declined" ? "declinedByCardAfterApproval" : "cancelledAfterAuthorisation";
}

async function finish(m: PaymentMachine): Promise<void> {
  const r: CardOutcome | null = m.result;
  const outcome: PaymentOutcomeKind = m.abort ? abortKind(m.abort.code) : r ? r.outcome : "end-application";
  const reason = m.abort ? `${m.abort.code}: ended by the reader` : r?.reason;
  const journal = m.options.journal;
  const reversal = reversalFor(m, outcome);
  if (reversal && journal.current) {
    await journal.addReversal(journal.current, reversal, m.options.device.rtc?.epochSeconds() ?? undefined);
    m.reversal = reversal;
  }
  const summary: OutcomeSummary = { outcome };
  if (r) summary.cardInterface = r.cardInterface;
  if (r?.maskedPan) summary.maskedPan = r.maskedPan;
  if (r?.arc) summary.arc = r.arc;
  if (reason) summary.reason = reason.split(":")[0];
  if (m.reversal) summary.reversal = m.reversal;
  await journal.update({ phase: "completed", summary, ...(r ? { cardInterface: r.cardInterface } : {}) });
  m.final = {
    transactionId: m.transactionId,
    outcome,
    fallback: r?.fallback === true,
    cvm: r ? r.cvm : "none",
    apdus: r?.apdus ?? 0,
    chipFailures: m.chipFailures,
    language: m.language,
  };
  const f = m.final;
  if (r) {
    f.cardInterface = r.cardInterface;
    if (r.maskedPan) f.maskedPan = r.maskedPan;
    if (r.tvr) f.tvr = r.tvr;
    if (r.tsi) f.tsi = r.tsi;
    if (r.cid !== undefined) f.cid = r.cid;
    if (r.arc) f.arc = r.arc;
    if (r.envelope) f.envelope = r.envelope;
    if (r.pinKsn) f.pinKsn = r.pinKsn;
  }
  if (reason) f.reason = reason;
  if (m.reversal) f.reversal = m.reversal;
  const approved = outcome === "approved" || outcome === "online-approved";
  m.show(outcomePrompt(outcome, reason));
  // A contactless card's tones come with its UI requests (Book A, 9.3); the others get one here.
  if (!r || r.cardInterface !== "contactless") m.tone(approved ? "success" : "alert");
  const lights = indicatorsFor(approved ? "cardReadSuccessfully" : "notReady").lights;
  m.options.device.indicators.setLights(lights, false);
  if (m.awaitRemoval) m.show("removeCard");
}

async function end(m: PaymentMachine, code: "cancelled" | "timeout" | "tampered"): Promise<void> {
  m.setAbort(code);
  await finish(m);
}

export const ACTIONS: Record<Action, Handler> = {
  "begin-transaction": async (m) => {
    m.transactionId = await m.options.journal.begin(m.request.amount, currencyNumber(m), m.request.reference);
    m.params.sequenceCounter = m.transactionId;
    if (m.options.config.confirmAmount) m.show("amountOk", [m.amountText()]);
    else m.raise({ kind: "amount-confirmed" });
  },

  "arm-interfaces": (m) => {
    const d = m.options.device;
    m.armed = interfacesToArm(m);
    const generation = ++m.armGeneration;
    if (m.armed.indexOf("magstripe") >= 0 && d.head) {
      const head = d.head;
      head.nextSwipe().then((swipe) => {
        if (swipe && generation === m.armGeneration) m.options.events.push({ kind: "swiped", swipe, arm: generation });
      }, (error) => m.options.events.push({ kind: "fatal", error }));
    }
    if (m.armed.indexOf("contactless") >= 0) {
      const ind = indicatorsFor("readyToRead");
      d.indicators.setLights(ind.lights, ind.flashFirst);
    }
    m.show(m.retryPrompt ?? armPrompt(m.armed), [m.amountText()]);
    m.retryPrompt = null;
    if (m.armed.length === 0) m.raise({ kind: "timeout" });
  },

  "disarm-interfaces": (m, e) => disarm(m, e.kind === "card-tapped"),

  "poll-interfaces": async (m) => {
    const d = m.options.device;
    if (m.armed.indexOf("contact") >= 0 && d.slot) {
      const present = await d.slot.cardPresent();
      if (m.slotMustEmpty) {
        if (!present) m.slotMustEmpty = false;
      } else if (present) {
        return m.raise({ kind: "card-inserted" });
      }
    }
    if (m.armed.indexOf("contactless") >= 0 && d.pcd) {
      const polled = await d.pcd.poll(CONTACTLESS_POLL_SLICE_MS);
      if (polled.kind === "activated") return m.raise({ kind: "card-tapped", activated: polled });
      if (polled.kind === "collision") {
        // Book A, 9.4 '19' and Book B, 3.2.1.3: more than one card in the field.
        m.show("presentOneCardOnly", [m.amountText()]);
        await d.pcd.resetField();
      }
    }
  },

  "slot-emptied": (m) => {
    m.slotMustEmpty = false;
  },

  "start-contact": (m) => {
    const slot = m.options.device.slot;
    if (!slot) throw new Error("payment: contact reading without a slot");
    m.show("processing");
    m.startReading("contact", (ports) => readContactCard(slot, m.options.env, m.params, ports));
  },

  "start-swipe": (m, e) => {
    const swipe = of(e, "swiped").swipe;
    const chipFailed = m.chipFailures >= m.options.config.chipFailuresBeforeFallback;
    m.show("processing");
    m.startReading("magstripe", (ports) => readSwipedCard(swipe, chipFailed, m.options.env, m.params, ports));
  },

  "start-contactless": (m, e) => {
    const pcd = m.options.device.pcd;
    if (!pcd) throw new Error("payment: contactless reading without a PCD");
    const activated = of(e, "card-tapped").activated;
    m.startReading("contactless", (ports) => readContactlessCard(pcd, activated, m.options.env, m.params, ports));
  },

  "offer-applications": (m, e) => {
    if (e.kind === "reading-selects-application") {
      m.pending = { kind: "selection", reply: e.reply, count: e.choices.length };
      // Book 1, 12.4, step 3: the candidates in priority order; a digit picks one, Enter the first.
      m.show("cancelOrEnter", e.choices.slice(0, 9).map((c, i) => `${i + 1} ${c.name}`));
    } else {
      const c = of(e, "reading-confirms-application");
      m.pending = { kind: "confirmation", reply: c.reply };
      m.show("cancelOrEnter", [c.choice.name]);
    }
  },

  "choose-application": (m, e) => {
    const p = m.pending;
    const key = of(e, "key").key;
    if (p?.kind === "confirmation") {
      if (key === "enter") m.raise({ kind: "application-chosen", value: true });
    } else if (p?.kind === "selection") {
      const index = key === "enter" ? 0 : key.charCodeAt(0) - 0x31;
      if (index >= 0 && index < p.count) m.raise({ kind: "application-chosen", value: index });
    }
  },

  "answer-application": (m, e) => {
    const value = of(e, "application-chosen").value;
    const p = m.pending;
    m.resume();
    if (p?.kind === "selection") p.reply(value as number);
    else if (p?.kind === "confirmation") p.reply(value as boolean);
    m.show("processing");
  },

  "begin-pin-entry": (m, e) => {
    const request = of(e, "reading-needs-pin");
    const now = m.clock.nowMs();
    if (!m.pinLimit.allows(now)) {
      // PCI PTS POI: no more PINs this hour. The kernel hears "PIN pad not working" (Book 3, 10.5.1).
      m.pending = { kind: "pin", reply: request.reply, entry: null };
      m.show("pinEntryLimit");
      m.tone("alert");
      return m.raise({ kind: "pin-finished", result: { kind: "pin-pad-failure" } });
    }
    m.options.events.discard(["key"]);
    m.pending = { kind: "pin", reply: request.reply, entry: new PinEntry(m.options.config.pin, now) };
    if (request.request.lastTry) m.show("lastPinTry");
    m.show("enterPin", [m.amountText()]);
  },

  "pin-key": async (m, e) => {
    const p = m.pending;
    if (p?.kind !== "pin" || !p.entry) return;
    const out = p.entry.press(of(e, "key").key, m.clock.nowMs());
    switch (out.kind) {
      case "continue":
        m.show("enterPin", [m.amountText(), "*".repeat(out.digits)]);
        if (m.options.observer?.pinDigits) m.options.observer.pinDigits(out.digits);
        return;
      case "refused":
        return m.tone("alert");
      case "entered":
        // The entry is counted and stored before the PIN leaves the buffer (pin-rate-limit.ts).
        try {
          await m.pinLimit.record(m.clock.nowMs());
        } catch (err) {
          out.pin.fill(0);
          throw err;
        }
        return m.raise({ kind: "pin-finished", result: { kind: "entered", pin: out.pin } });
      case "bypassed":
        return m.raise({ kind: "pin-finished", result: { kind: "bypassed" } });
      case "cancelled":
        return m.raise({ kind: "pin-finished", result: { kind: "cancelled" } });
    }
  },

  "deliver-pin": (m, e) => {
    const result = of(e, "pin-finished").result;
    const p = m.pending;
    m.resume();
    if (p?.kind === "pin") p.reply(result);
    else if (result.kind === "entered") result.pin.fill(0);
  },

  "send-authorization": async (m, e) => {
    const request = of(e, "reading-goes-online");
    m.pending = { kind: "authorization", reply: request.reply, fail: request.fail };
    const r = request.request;
    const authorisation = { emvData: r.iccData, maskedPan: r.maskedPan, envelope: r.envelope };
    // Stored before the request leaves: from here on a power loss leaves a reversal.
    await m.options.journal.update({ phase: "online", cardInterface: m.reading?.cardInterface, authorisation });
    m.online = { sentAtMs: m.clock.nowMs(), answered: false, approved: false };
    m.options.online.send(m.transactionId, r);
  },

  "check-response": async (m, e) => {
    const r = of(e, "online-response");
    const refuse = (why: string) => {
      if (m.options.observer?.responseRefused) m.options.observer.responseRefused(r.transactionId, why);
    };
    // A replayed or stray answer: another transaction's, or a second one for this transaction.
    if (r.transactionId !== m.transactionId) return refuse("not this transaction's");
    if (!m.online || m.online.answered || m.pending?.kind !== "authorization") return refuse("already answered");
    const a: AuthorizationResult = r.answer;
    const valid = a !== null && typeof a === "object" && (a.kind === "unable-to-go-online" ||
      (a.kind === "response" && typeof a.arc === "string" && /^[\x20-\x7e]{2}$/.test(a.arc)));
    if (!valid) return refuse("malformed");
    m.online.answered = a.kind === "response";
    if (a.kind === "response") {
      m.online.approved = m.options.env.terminal.approvalResponseCodes.indexOf(a.arc) >= 0;
      await m.options.journal.update({ phase: "answered", answer: { arc: a.arc, approved: m.online.approved } });
    }
    m.raise({ kind: "answer-accepted", answer: a });
  },

  "deliver-answer": (m, e) => {
    const answer = of(e, "answer-accepted").answer;
    const p = m.pending;
    m.resume();
    if (p?.kind === "authorization") p.reply(answer);
  },

  "deliver-no-answer": (m) => {
    // Book 3, 10.9: no answer in time is "unable to go online"; the request stays owed a reversal.
    const p = m.pending;
    m.resume();
    if (p?.kind === "authorization") p.reply({ kind: "unable-to-go-online" });
  },

  "check-card-present": async (m) => {
    const slot = m.options.device.slot;
    if (!slot || !(m.cardMustStay || m.state === "remove-card")) return;
    if (!(await slot.cardPresent())) m.raise({ kind: "card-removed" });
  },

  "card-left": (m) => {
    if (m.cardMustStay) m.raise({ kind: "card-lost" });
  },

  "conclude-reading": async (m, e) => {
    const r = of(e, "reading-done").result;
    m.reading = null;
    m.pending = null;
    const c = m.options.config;
    const retry = (prompt: Prompt) => {
      m.retryPrompt = prompt;
      m.raise({ kind: "retry" });
    };
    if (r.kind !== "outcome" && !m.abort) {
      switch (r.kind) {
        case "chip-unreadable":
          // The card stays in the slot until taken out: no new read of it before that.
          m.slotMustEmpty = true;
          m.chipFailures++;
          if (m.chipFailures < c.chipFailuresBeforeFallback) return retry("tryAgain");
          if (m.interfaces.indexOf("magstripe") >= 0 && m.options.device.head) return retry("useMagStripe");
          break;
        case "use-chip":
          if (m.interfaces.indexOf("contact") >= 0 && m.options.device.slot) return retry("useChipReader");
          break;
        case "bad-swipe":
          return retry("tryAgain");
        case "try-another-interface":
          // Book A, 6.2: contactless is not offered again in this transaction.
          m.contactlessRefused = true;
          if (m.interfaces.indexOf("contact") >= 0 || m.interfaces.indexOf("magstripe") >= 0) return retry("insertOrSwipeCard");
          break;
        case "present-card-again":
          return retry("presentCardAgain");
      }
    }
    if (r.kind === "outcome") m.result = r;
    else if (!m.result) m.result = { kind: "outcome", cardInterface: r.kind === "try-another-interface" || r.kind === "present-card-again" ? "contactless" : r.kind === "chip-unreadable" ? "contact" : "magstripe", outcome: "end-application", cvm: "none", reason: `${r.kind}: no interface left to try` };
    // Book 4, 11.2 '10': REMOVE CARD while the card is still in the slot.
    const slot = m.options.device.slot;
    const inSlot = m.result.cardInterface === "contact" && slot !== undefined && (await slot.cardPresent());
    m.awaitRemoval = inSlot;
    m.raise({ kind: inSlot ? "final-card-in-slot" : "final" });
  },

  "refuse-request": (m, e) => {
    switch (e.kind) {
      case "reading-selects-application": m.pending = { kind: "selection", reply: e.reply, count: 0 }; break;
      case "reading-confirms-application": m.pending = { kind: "confirmation", reply: e.reply }; break;
      case "reading-needs-pin": m.pending = { kind: "pin", reply: e.reply, entry: null }; break;
      case "reading-goes-online": m.pending = { kind: "authorization", reply: e.reply, fail: e.fail }; break;
      default: return;
    }
    m.refusePending();
  },

  "abort-cancelled": (m) => m.setAbort("cancelled"),
  "abort-card-removed": (m) => m.setAbort("card-removed"),
  "abort-timeout": (m) => m.setAbort("timeout"),
  "abort-tampered": (m) => m.setAbort("tampered"),

  "end-cancelled": (m) => end(m, "cancelled"),
  "end-timeout": (m) => end(m, "timeout"),
  "end-tampered": (m) => end(m, "tampered"),

  finish: (m) => finish(m),

  "card-taken": (m) => {
    m.awaitRemoval = false;
  },
};
