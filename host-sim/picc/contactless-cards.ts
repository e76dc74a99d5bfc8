import type { RandomSource } from "../../hal/random";
import { softwareCrypto } from "../../kernel/crypto";
import { EmvCardApplet, TEST_CARD_PIN } from "../cards";
import type { IccApplet } from "../icc/applet";
import { ContactlessFront } from "./contactless-front";
import { contactlessImage } from "./personalization";
import { findContactlessProfile, type ContactlessProfile } from "./profiles";
import { QvsdcApplet } from "./qvsdc-applet";
import { VirtualPicc } from "./virtual-picc";

// Virtual PICCs for the simulator's card profiles and phones: the contactless applet of the profile
// (kernel 3: qVSDC; kernel 2: M/Chip behind its contactless front) inside a frame-level PICC with
// the chip's ISO/IEC 14443 parameters. A card without a contactless interface has no PICC: it never
// answers the field.

export interface PiccOptions {
  /** The card's random source (its unpredictable numbers, a phone's random UID). */
  random: RandomSource;
  /** Multiplies the chip's computing times (a slow card, near the FWT). */
  slowdown?: number;
  /** Leave out S(WTX): a slow card then misses the FWT. */
  wtx?: boolean;
  /** Wraps the chip's applet (the fuzzer replaces its responses there, host-sim/fuzz). */
  wrapApplet?: (applet: IccApplet) => IccApplet;
}

/** The ISO/IEC 14443-3 identifier: a card's fixed 7-byte UID, a phone's random 4-byte ID ('08' first, 6.5.4). */
function identifier(p: ContactlessProfile, random: RandomSource): Uint8Array {
  if (p.formFactor === "phone") {
    const id = new Uint8Array(4);
    random.fill(id);
    id[0] = 0x08;
    return id;
  }
  // Fixed per card, and nothing to do with the PAN (the UID goes over the air in clear).
  const uid = softwareCrypto.sha256(Uint8Array.from(p.id, (ch) => ch.charCodeAt(0))).slice(0, 7);
  uid[0] = 0x04; // a manufacturer code (ISO/IEC 7816-6)
  return uid;
}

/** The PICC of a profile with a contactless interface, or undefined for a contact-only card. */
export function createPicc(id: string, options: PiccOptions): VirtualPicc | undefined {
  const p = findContactlessProfile(id);
  if (!p) return undefined;
  const image = contactlessImage(p);
  const chip: IccApplet = p.kernel === 3
    ? new QvsdcApplet(image, options.random)
    : new ContactlessFront(new EmvCardApplet(image, { random: options.random, pin: TEST_CARD_PIN }), image);
  return new VirtualPicc({
    technology: p.technology,
    identifier: identifier(p, options.random),
    applet: options.wrapApplet ? options.wrapApplet(chip) : chip,
    fwi: p.fwi,
    bitRates: p.bitRates,
    slowdown: options.slowdown,
    wtx: options.wtx,
  });
}
