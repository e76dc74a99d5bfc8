import { LANGUAGES, promptText } from "../../kernel/transaction/prompts";
import type { CardInterface } from "../../kernel/protocol";
import type { TransactionView } from "./session-state";

// What the page can tell of a payment from the outside of the reader, as a person at the counter
// does: the firmware's own status lights (EMV Contactless Book A, 9.2: idle is the first light
// flashing, "Ready to Read" the first light steady, "Processing" the first two, "Card Read
// Successfully" all four) and its own display (the amount, ENTER PIN, the outcome). Nothing here
// decides anything for the firmware; it only names what it shows, for the page's state and log.

export type LightStatus = "off" | "idle" | "ready to read" | "processing" | "card read successfully" | "not ready";

/** Book A, 9.2: the status the four lights stand for. */
export function lightStatus(lights: readonly boolean[], flashFirst: boolean): LightStatus {
  const lit = lights.filter((l) => l).length;
  if (lit === 0) return "not ready";
  if (lit === 4) return "card read successfully";
  if (lit === 2 && lights[0] && lights[1]) return "processing";
  if (lit === 1 && lights[0]) return flashFirst ? "idle" : "ready to read";
  return "processing";
}

/** Every language's ENTER PIN (kernel/transaction/prompts.ts): the firmware waits for the PIN while it shows one. */
const ENTER_PIN: readonly string[] = LANGUAGES.map((l) => promptText("enterPin", l));

/** Screens whose second line is a code for the phone's user only (firmware/app/reader-firmware.ts): not logged. */
const CODE_TITLES: readonly string[] = ["BLE PASSKEY", "PAIRING CODE"];

/** The amount line of the firmware's screens (kernel/transaction/payment.ts amountText). */
const AMOUNT = /^[0-9]+(\.[0-9]+)?$/;

export class ReaderActivity {
  private view: TransactionView | null = null;
  private status: LightStatus = "off";
  private screen: readonly string[] = [];

  constructor(private readonly currency: string, private readonly onLog: (text: string) => void) {}

  get transaction(): TransactionView | null {
    return this.view === null ? null : { ...this.view };
  }

  /** The firmware waits for the cardholder's PIN (it shows ENTER PIN). */
  get pinEntry(): boolean {
    return this.screen.length > 0 && ENTER_PIN.includes(this.screen[0]);
  }

  /** The firmware changed its screen. */
  screenShown(lines: readonly string[]): void {
    const before = this.screen[0];
    this.screen = lines.slice();
    if (lines.length > 0 && lines[0] !== before) this.onLog(`display: ${CODE_TITLES.includes(lines[0]) ? lines[0] : lines.join(" / ")}`);
    if (this.view !== null && this.view.phase === "waiting-card" && this.view.amount === "") {
      const amount = lines.find((l) => AMOUNT.test(l));
      if (amount !== undefined) this.view.amount = `${this.currency} ${amount}`;
    }
  }

  /** The firmware set its lights; says whether a payment began (Ready to Read) or ended (back to idle). */
  lightsSet(lights: readonly boolean[], flashFirst: boolean): "began" | "ended" | null {
    const status = lightStatus(lights, flashFirst);
    if (status === this.status) return null;
    this.status = status;
    this.onLog(`lights: ${status}`);
    if (status === "ready to read" && (this.view === null || this.view.phase === "done")) {
      const amount = this.screen.find((l) => AMOUNT.test(l));
      this.view = { phase: "waiting-card", amount: amount !== undefined ? `${this.currency} ${amount}` : "" };
      return "began";
    } else if (status === "idle" && this.view !== null && this.view.phase !== "done") {
      // The outcome stays on the screen after the payment (firmware/app/reader-firmware.ts powerDown).
      this.view = { ...this.view, phase: "done", result: this.screen[0] ?? "" };
      return "ended";
    }
    return null;
  }

  /** A card reached the reader while it waited for one. */
  cardPresented(cardInterface: CardInterface): void {
    if (this.view !== null && this.view.phase === "waiting-card") this.view = { ...this.view, phase: "processing", cardInterface };
  }

  /** The power went: nothing shown, no payment. */
  reset(): void {
    this.view = null;
    this.status = "off";
    this.screen = [];
  }
}
