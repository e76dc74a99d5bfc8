import type { CharacterSet, Display } from "../../hal/display";
import type { MagstripeHead, MagstripeSwipe } from "../../hal/magstripe-head";
import type { Indicators, LightStates, ToneSpec } from "../../hal/indicators";
import type { TamperCause, TamperEvent, TamperMonitor } from "../../hal/tamper";
import type { IccApplet } from "../icc/applet";
import type { IccFault } from "../icc/faults";
import { IccSlot } from "../icc/icc-slot";
import { createVirtualIcc } from "../icc/virtual-icc";
import { VirtualMagstripeHead, type VirtualCard } from "../magstripe/virtual-head";
import { ModeledClock } from "../picc/modeled-clock";
import { SwappableField } from "../picc/swappable-field";
import { VirtualField } from "../picc/virtual-field";
import type { VirtualPicc } from "../picc/virtual-picc";

// The reader's hardware as the web page sees and moves it. Each class is the simulator's driver of
// one HAL interface, with a listener so the page is told at once what the cardholder would see
// (display, lights, beeper) and with the handles the page's wallet and fault buttons use (a card
// into the slot or the field or through the head, the enclosure opened). The reader firmware gets
// them as its HAL, on Node directly or on the XS engine through the bridge
// (host-sim/xs-bridge/firmware-hal-server.ts).

/** The panel of the simulator's reader: 4 lines of 20 characters, Latin-1 font (hal/display.ts). */
export class PageDisplay implements Display {
  readonly lines = 4;
  readonly columns = 20;
  readonly characterSets: readonly CharacterSet[] = ["ascii", "latin-1"];
  private screen: string[] = [];

  constructor(private readonly onChange: (lines: string[]) => void) {}

  show(lines: readonly string[]): void {
    // The driver clips what does not fit (hal/display.ts).
    this.screen = lines.slice(0, this.lines).map((l) => l.slice(0, this.columns));
    this.onChange(this.current());
  }

  current(): string[] {
    return this.screen.slice();
  }
}

/** The four status lights and the beeper (EMV Contactless Book A, 9.2 and 9.3). */
export class PageIndicators implements Indicators {
  lights: [boolean, boolean, boolean, boolean] = [false, false, false, false];
  flashFirst = false;

  constructor(private readonly onLights: () => void, private readonly onBeep: (tone: ToneSpec) => void) {}

  setLights(lights: LightStates, flashFirst: boolean): void {
    this.lights = [lights[0], lights[1], lights[2], lights[3]];
    this.flashFirst = flashFirst;
    this.onLights();
  }

  beep(tone: ToneSpec): void {
    this.onBeep({ ...tone });
  }
}

/**
 * The contact slot: empty, or holding the byte-level virtual ICC of the card the page inserted
 * (host-sim/icc). Pulling the card out in the middle of an exchange is what the reader sees as a
 * card removal (ISO/IEC 7816-3:2006, 6.4: the contacts are deactivated).
 */
export class PageContactSlot extends IccSlot {
  insert(applet: IccApplet, faults: IccFault[] = []): void {
    this.hold(createVirtualIcc({ applet, protocol: 0, clockHz: this.clockHz, faults }));
  }
}

/**
 * The NFC front end's field with the cards and phones the page holds over the reader. Each tap
 * places a fresh set of PICCs in a new virtual field (host-sim/picc/virtual-field.ts, frame level,
 * on its own modeled air time); two PICCs at once collide as on the air (ISO/IEC 14443-3:2018,
 * 6.5.2.1). Taking them away empties the field: the reader hears only timeouts.
 */
export class PageField extends SwappableField {
  constructor() {
    super(PageField.empty());
  }

  private static empty(cards: VirtualPicc[] = []): VirtualField {
    return new VirtualField({ clock: new ModeledClock(), cards: cards.map((picc) => ({ picc })) });
  }

  /** The PICCs now held in the field (replacing any held before). */
  hold(piccs: VirtualPicc[]): Promise<void> {
    return this.swap(PageField.empty(piccs));
  }

  /** Everything leaves the field. */
  clear(): Promise<void> {
    return this.hold([]);
  }
}

/** A cardholder swiping at an ordinary pace: 20 inches per second, 5 % faster at the end, 2 % jitter (as `sim run`). */
const SWIPE = { speedIps: 20, acceleration: 0.05, jitter: 0.02 };

/**
 * The magnetic head (tracks 1 and 2, as the reference board wires it): a swipe is read only while
 * the firmware has armed the head (hal/magstripe-head.ts, a pending nextSwipe); between payments
 * the capture is off and a swipe is lost, as on the device.
 */
export class PageMagstripeHead implements MagstripeHead {
  private readonly head = new VirtualMagstripeHead({ tracks: [1, 2] });
  private armed = 0;
  readonly tracks = this.head.tracks;

  async nextSwipe(): Promise<MagstripeSwipe | null> {
    this.armed++;
    try {
      return await this.head.nextSwipe();
    } finally {
      this.armed--;
    }
  }

  cancel(): void {
    this.head.cancel();
  }

  /** The card passes the head; false when the head was not armed (nothing read). */
  swipe(card: VirtualCard): boolean {
    if (this.armed === 0) return false;
    this.head.swipe(card, SWIPE);
    return true;
  }
}

/** The enclosure switches (PCI PTS POI A1): the page's "open the case" button trips them. */
export class PageTamperSwitch implements TamperMonitor {
  private handler: ((event: TamperEvent) => void) | null = null;
  private cause: TamperCause | null = null;

  get tripped(): boolean {
    return this.cause !== null;
  }

  onTamper(handler: (event: TamperEvent) => void): void {
    this.handler = handler;
  }

  /** The sensor fires: latched, and the firmware's handler told at once. */
  trip(cause: TamperCause): void {
    this.cause = cause;
    this.handler?.({ cause });
  }

  async latched(): Promise<TamperCause | null> {
    return this.cause;
  }

  async rearm(): Promise<void> {
    this.cause = null;
  }
}
