import type { Clock } from "../../hal/clock";
import type { ContactSlot, ResetKind } from "../../hal/contact-slot";
import type { ApduTransport } from "./apdu";
import { answerToReset } from "./answer-to-reset";
import type { Atr } from "./atr";
import type { ProtocolParameters } from "./atr-emv";
import { CardRemovedError, ProtocolError } from "./errors";
import { abandon } from "./line";
import { T0Transport } from "./t0";
import { T1Transport } from "./t1";
import { T0_TURNAROUND_ETU, T1_BGT_ETU, terminalCharEtu } from "./timing";

// A card session on the contact interface, from activation to deactivation (EMV Book 1, chapters
// 6 to 9): cold reset, the ATR judged by EMV Book 1, 8.3, a warm reset when it is rejected, the
// deactivation when the warm ATR is rejected too; then the line set to what the ATR asked for and
// the protocol engine the ATR names first.

export interface ContactCardOptions {
  slot: ContactSlot;
  clock: Clock;
}

export interface ContactCard {
  /** The accepted ATR and the reset that produced it. */
  atr: Atr;
  reset: ResetKind;
  protocol: 0 | 1;
  parameters: ProtocolParameters;
  /** The EMV kernel's way to the card. Fails for good once the session ended. */
  transport: ApduTransport;
  /** Command APDUs exchanged so far. */
  readonly apduCount: number;
  /** Ends the session (ISO/IEC 7816-3:2006, 6.4). */
  deactivate(): Promise<void>;
}

/** EMV Book 1, 9.2.3: the terminal repeats a character at most three times (T=0 only). */
const T0_REPEATS = 3;

/** Activates the card in `slot` and returns its transport. Throws CardRemovedError, CardMuteError or ProtocolError. */
export async function openContactCard(options: ContactCardOptions): Promise<ContactCard> {
  const { slot, clock } = options;
  if (!(await slot.cardPresent())) throw new CardRemovedError("no card in the slot");
  let reset: ResetKind = "cold";
  let outcome = await answerToReset(slot, clock, "cold");
  if (outcome.kind === "rejected") {
    reset = "warm";
    outcome = await answerToReset(slot, clock, "warm");
    if (outcome.kind === "rejected") {
      return abandon(slot, new ProtocolError(`ATR rejected after the cold and the warm reset: ${outcome.reasons.join("; ")}`));
    }
  }
  const { atr, parameters } = outcome;
  const protocol = parameters.protocol;
  slot.configure({
    Fi: parameters.Fi,
    Di: parameters.Di,
    terminalCharEtu: terminalCharEtu(parameters.N, protocol),
    turnaroundEtu: protocol === 0 ? T0_TURNAROUND_ETU : T1_BGT_ETU,
    repeats: protocol === 0 ? T0_REPEATS : 0,
  });
  let engine: ApduTransport;
  if (protocol === 0) {
    engine = new T0Transport({ slot, wi: parameters.wi, Di: parameters.Di });
  } else {
    const t1 = new T1Transport({
      slot, Fi: parameters.Fi, Di: parameters.Di, ifsc: parameters.ifsc, bwi: parameters.bwi, cwi: parameters.cwi,
    });
    await t1.start();
    engine = t1;
  }
  return new Session(slot, atr, reset, parameters, engine);
}

class Session implements ContactCard {
  readonly protocol: 0 | 1;
  readonly transport: ApduTransport;
  private count = 0;
  private ended: Error | null = null;

  constructor(
    private readonly slot: ContactSlot,
    readonly atr: Atr,
    readonly reset: ResetKind,
    readonly parameters: ProtocolParameters,
    private readonly engine: ApduTransport,
  ) {
    this.protocol = parameters.protocol;
    this.transport = { transmit: (command) => this.transmit(command) };
  }

  get apduCount(): number {
    return this.count;
  }

  private async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.ended) throw this.ended;
    try {
      const response = await this.engine.transmit(command);
      this.count++;
      return response;
    } catch (e) {
      // A level-1 failure has deactivated the card: every later command fails the same way. A
      // malformed command (ApduFormatError) leaves the session as it was.
      if (e instanceof Error && (e as { code?: string }).code !== "apdu") this.ended = e;
      throw e;
    }
  }

  async deactivate(): Promise<void> {
    if (!this.ended) this.ended = new ProtocolError("the card session has ended");
    await this.slot.deactivate();
  }
}
