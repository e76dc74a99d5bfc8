import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { createCard, type VirtualCard } from "../cards";
import { MuteApplet } from "../cards/mute-applet";
import { createVirtualIcc } from "../icc/virtual-icc";
import { VirtualMagstripeHead } from "../magstripe/virtual-head";
import { ModeledClock } from "../picc/modeled-clock";
import { placeCards } from "../picc/run-contactless";
import { VirtualField } from "../picc/virtual-field";
import { SeededRandom } from "../sim/seeded-random";
import { SwipingHead } from "../sim/swiping-head";
import { cardholderAt, metered } from "../xs-bridge/firmware-sim-run";
import type { PhonePayment, PhoneRig } from "../xs-bridge/phone-rig";
import type { FirmwareMeter } from "../xs-bridge/xs-meter";
import type { FirmwareSoakKind } from "./firmware-mix";

// One payment of the firmware soak's mix (firmware-mix.ts) on the reader of a phone rig
// (host-sim/xs-bridge/phone-rig.ts): the phone starts it over BLE, the cardholder presents the
// kind's card on its interface - the same chip (its applet lives through the soak, its ATC and
// PIN try counter go on as a real card's do) in a fresh virtual ICC, a swipe at the head, a tap on
// a fresh field - types the PIN on the reader's keypad, takes the card when asked; the phone
// cancels at the kind's prompt. Everything is taken away after, so the next payment starts clean.

/** 2025-06-15 12:00:00 UTC: the soak's first payment (the test cards' expiry dates decide the same every year after). */
const FIRST_PAYMENT_EPOCH_SECONDS = Date.UTC(2025, 5, 15, 12, 0, 0) / 1000;
/** Between two customers: a minute. */
export const SECONDS_BETWEEN_PAYMENTS = 60;

export class SoakCardholders {
  private readonly cards = new Map<string, VirtualCard>();

  constructor(private readonly rig: PhoneRig, private readonly seed: number) {}

  private card(id: string): VirtualCard {
    let card = this.cards.get(id);
    if (card === undefined) {
      card = createCard(id, { random: new SeededRandom(softwareCrypto, fromHex(`${this.seedHex(0)}CA`)) });
      this.cards.set(id, card);
    }
    return card;
  }

  private seedHex(n: number): string {
    return ((this.seed + n) >>> 0).toString(16).padStart(8, "0");
  }

  /** Presents the card of `kind` at the reader for transaction `n`. */
  private async present(kind: FirmwareSoakKind, n: number): Promise<void> {
    if (kind.card === undefined) return;
    const rig = this.rig;
    if (kind.cardInterface === "contact") {
      const applet = this.card(kind.card).applet ?? new MuteApplet();
      rig.slot.hold(createVirtualIcc({ applet, protocol: 0 }));
    } else if (kind.cardInterface === "magstripe") {
      const stripe = this.card(kind.card).magstripe;
      if (stripe === undefined) throw new Error(`soak: ${kind.card} has no magnetic stripe`);
      rig.head.hold(new SwipingHead(new VirtualMagstripeHead({ seed: this.seed + n }), stripe));
    } else {
      await rig.field.hold(new VirtualField({ clock: new ModeledClock(), cards: placeCards([kind.card], this.seedHex(n)) }));
    }
  }

  /** Transaction `n`, of `kind`, to its outcome as the phone saw it, with the XS meter of the payment alone (null on Node). */
  async pay(kind: FirmwareSoakKind, n: number): Promise<{ paid: PhonePayment; xs: FirmwareMeter | null }> {
    const rig = this.rig;
    try {
      await this.present(kind, n);
      const cardholder = cardholderAt(rig, kind.pins ?? []);
      return await metered(rig, () => rig.pay({
        amount: kind.amount, cardInterface: kind.cardInterface, epochSeconds: FIRST_PAYMENT_EPOCH_SECONDS + n * SECONDS_BETWEEN_PAYMENTS,
        onPrompt: async (prompt, tx) => {
          if (prompt === kind.cancelAt) await tx.cancel();
          else if (prompt === kind.removeAt) rig.slot.remove();
          else cardholder(prompt, tx);
        },
      }));
    } finally {
      rig.slot.hold(null);
      rig.head.hold(null);
      await rig.field.clear();
    }
  }
}
