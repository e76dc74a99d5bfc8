import { randomFillSync } from "crypto";
import type { RandomSource } from "../../hal/random";
import { InputError } from "../../kernel/errors";
import { luhnValid } from "../../kernel/magstripe/luhn";
import { maskPan } from "../../kernel/security";
import {
  cardProfiles, createCard, EmvCardApplet, findCardProfile, magneticStripe, personalize,
  type CardInterface, type CardProfile, type VirtualCard,
} from "../cards";
import type { IccApplet } from "../icc/applet";
import { MuteApplet } from "../cards/mute-applet";
import type { MagneticStripe } from "../cards/magstripe";
import { createPicc } from "../picc/contactless-cards";
import { contactlessProfiles, findContactlessProfile } from "../picc/profiles";
import type { VirtualPicc } from "../picc/virtual-picc";

// The page's wallet: every virtual card of host-sim/cards and every phone wallet of host-sim/picc,
// plus the cards the developer makes in the page's editor (a copy of a profile with another
// cardholder name, expiry date, PAN or PIN). A card is made once and kept, so its chip counts on
// (ATC, PIN Try Counter) from one payment to the next as a real card does. The page sees each card
// by its masked PAN only (PCI DSS 3.4: first six and last four digits).

/** What the page shows of a card: never its full PAN. */
export interface WalletCard {
  id: string;
  label: string;
  description: string;
  scheme: string;
  formFactor: "card" | "phone";
  /** "emv": a working chip; "mute": a chip that never answers; "none": no chip. */
  chip: "emv" | "mute" | "none";
  interfaces: CardInterface[];
  maskedPan: string;
  expiry: string;
  custom: boolean;
}

/** The editor's fields for a custom card. */
export interface CustomCardRequest {
  /** The profile it copies (a chip card of host-sim/cards). */
  base: string;
  label?: string;
  cardholderName?: string;
  /** YYMMDD. */
  expiry?: string;
  pan?: string;
  /** 4 to 12 digits (ISO 9564-1, 5.2). */
  pin?: string;
}

interface Held {
  view: WalletCard;
  card?: VirtualCard;
  picc?: VirtualPicc;
}

const hostRandom: RandomSource = { fill: (b) => { randomFillSync(b); } };

/** A wallet holds at most this many custom cards (the editor is for a few test cards, not a database). */
const MAX_CUSTOM_CARDS = 20;

function labelOf(p: CardProfile): string {
  return p.id.split("-").map((w) => (w === "mc" ? "Mastercard" : w === "cda" || w === "sda" || w === "dda" || w === "pin" ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1))).join(" ");
}

function fail(message: string): never {
  throw new InputError("card-editor", message);
}

function text(v: unknown, field: string, pattern: RegExp, rule: string): string | undefined {
  if (v === undefined || v === "") return undefined;
  if (typeof v !== "string" || !pattern.test(v)) fail(`${field} ${rule}`);
  return v;
}

function validDate(yymmdd: string): boolean {
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
}

/** Checks the editor's fields: every one comes from the page, so every one is checked. */
export function checkCustomCard(v: unknown): CustomCardRequest {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail("a custom card is an object");
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (["base", "label", "cardholderName", "expiry", "pan", "pin"].indexOf(k) < 0) fail(`unknown field ${k}`);
  const base = text(o.base, "base", /^[a-z0-9-]{1,40}$/, "must be a card profile id");
  const profile = base === undefined ? undefined : findCardProfile(base);
  if (!profile || profile.chip !== "emv") fail("base must be a chip card profile (mpos sim cards)");
  const r: CustomCardRequest = { base: profile.id };
  const label = text(o.label, "label", /^[A-Za-z0-9 .'-]{1,24}$/, "must be 1 to 24 letters, digits or spaces");
  if (label !== undefined) r.label = label;
  // EMV Book 3, Annex A: Cardholder Name 5F20 is ans 2-26; ISO/IEC 7813 track 1 name: SURNAME/FIRST.
  const name = text(o.cardholderName, "cardholderName", /^[A-Z0-9 ./-]{2,26}$/, "must be 2 to 26 capitals, digits, space, '.', '/' or '-'");
  if (name !== undefined) r.cardholderName = name;
  const expiry = text(o.expiry, "expiry", /^[0-9]{6}$/, "must be YYMMDD");
  if (expiry !== undefined) {
    if (!validDate(expiry)) fail("expiry must be a real date YYMMDD");
    r.expiry = expiry;
  }
  const pan = text(o.pan, "pan", /^[0-9]{13,19}$/, "must be 13 to 19 digits");
  if (pan !== undefined) {
    // ISO/IEC 7812-1, Annex B: the last digit is the Luhn check digit.
    if (!luhnValid(pan)) fail("pan fails the Luhn check (ISO/IEC 7812-1)");
    r.pan = pan;
  }
  const pin = text(o.pin, "pin", /^[0-9]{4,12}$/, "must be 4 to 12 digits (ISO 9564-1)");
  if (pin !== undefined) r.pin = pin;
  return r;
}

export class Wallet {
  private readonly cards = new Map<string, Held>();
  private customCount = 0;

  constructor() {
    for (const p of cardProfiles) {
      const cl = findContactlessProfile(p.id);
      const interfaces = cl && p.interfaces.indexOf("contactless") < 0 ? [...p.interfaces, "contactless" as const] : p.interfaces.slice();
      this.cards.set(p.id, { view: this.viewOf(p, labelOf(p), p.description, interfaces, "card", false) });
    }
    for (const cl of contactlessProfiles) {
      if (this.cards.has(cl.id)) continue;
      const label = cl.formFactor === "phone" ? `${cl.card.scheme === "visa" ? "Visa" : "Mastercard"} phone wallet` : labelOf(cl.card);
      this.cards.set(cl.id, { view: this.viewOf(cl.card, label, cl.description, ["contactless"], cl.formFactor, false) });
    }
  }

  private viewOf(p: CardProfile, label: string, description: string, interfaces: CardInterface[], formFactor: "card" | "phone", custom: boolean): WalletCard {
    return { id: p.id, label, description, scheme: p.scheme, formFactor, chip: p.chip, interfaces, maskedPan: maskPan(p.pan), expiry: p.expiry, custom };
  }

  list(): WalletCard[] {
    return Array.from(this.cards.values(), (h) => ({ ...h.view, interfaces: h.view.interfaces.slice() }));
  }

  find(id: string): WalletCard | undefined {
    return this.cards.get(id)?.view;
  }

  private held(id: string): Held {
    const h = this.cards.get(id);
    if (!h) throw new InputError("unknown-card", `no card "${id}" in the wallet`);
    return h;
  }

  private physical(id: string): VirtualCard {
    const h = this.held(id);
    if (!h.card) h.card = createCard(id, { random: hostRandom });
    return h.card;
  }

  /** The chip behind the contacts (a mute chip for a card without a working one). */
  applet(id: string): IccApplet {
    const h = this.held(id);
    if (h.view.interfaces.indexOf("contact") < 0 && h.view.formFactor === "phone") throw new InputError("no-chip", "a phone has no contacts");
    return this.physical(id).applet ?? new MuteApplet();
  }

  /** The stripe, or undefined for a card without one. */
  stripe(id: string): MagneticStripe | undefined {
    const h = this.held(id);
    if (h.view.formFactor === "phone") return undefined;
    return this.physical(id).magstripe;
  }

  /** The card's contactless chip (ISO/IEC 14443), or undefined for a contact-only card. */
  picc(id: string): VirtualPicc | undefined {
    const h = this.held(id);
    if (h.view.interfaces.indexOf("contactless") < 0) return undefined;
    if (!h.picc) h.picc = createPicc(id, { random: hostRandom });
    return h.picc;
  }

  /** Makes a custom card from the editor's fields; returns its view. */
  addCustom(request: CustomCardRequest): WalletCard {
    if (this.customCount >= MAX_CUSTOM_CARDS) throw new InputError("card-editor", `the wallet holds at most ${MAX_CUSTOM_CARDS} custom cards`);
    const base = findCardProfile(request.base);
    if (!base) fail("base must be a chip card profile");
    this.customCount++;
    const id = `custom-${this.customCount}`;
    // A profile of its own id: personalization (certificates, records, stripe) is made for it alone.
    const profile: CardProfile = {
      ...base,
      id: id as CardProfile["id"],
      description: `custom card from ${base.id}`,
      cardholderName: request.cardholderName ?? base.cardholderName,
      expiry: request.expiry ?? base.expiry,
      pan: request.pan ?? base.pan,
      interfaces: base.interfaces.filter((i) => i !== "contactless"),
    };
    const pin = request.pin ?? "1234";
    const card: VirtualCard = { profile, pin, applet: new EmvCardApplet(personalize(profile), { random: hostRandom, pin }) };
    if (profile.interfaces.indexOf("magstripe") >= 0) card.magstripe = magneticStripe(profile);
    const view = this.viewOf(profile, request.label ?? `Custom ${this.customCount}`, profile.description, profile.interfaces.slice(), "card", true);
    this.cards.set(id, { view, card });
    return { ...view };
  }
}
