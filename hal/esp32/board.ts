import config from "mc/config";

// The reader's board: which GPIO goes where, from the `config` of manifest.json (Moddable's
// mc/config), checked here once at start-up. The reference board is an ESP32-S3-DevKitC-1
// (ESP32-S3-WROOM-1 N16R2) with an NXP TDA8035 contact front end, an NXP PN5180 NFC front end, a
// magnetic head read on tracks 1 and 2 with one peak detector per track, a 4 x 4 keypad matrix, an
// SPI panel, four LEDs, a piezo buzzer and a LiPo cell (hal/esp32/README.md has the wiring table).

export interface ContactSlotPins {
  /** UART 1 or 2; TXD (open drain) and RXD both wired to the TDA8035's I/OUC. */
  uart: number;
  tx: number;
  rx: number;
  /** TDA8035 CMDVCCN: low starts the activation sequence, high the deactivation (datasheet 8.5, 8.6). */
  cmdvcc: number;
  /** TDA8035 RSTIN: copied to the card's RST once the card is active. */
  rstin: number;
  /** TDA8035 OFFN: low when no card is present (or on a fault while active). */
  off: number;
  /**
   * TDA8035 CLKDIV1, CLKDIV2 and the levels that select the crystal's division (the datasheet's
   * clock selection table), when GPIOs drive them; absent when the board straps them.
   */
  clkdiv?: { pins: [number, number]; levels: [0 | 1, 0 | 1] };
  /** TDA8035 5V3VN, driven high for class A (5 V) cards (EMV Book 1, 5.3); absent when strapped. */
  vsel?: number;
  /** The card clock that results (crystal / division), Hz: EMV Book 1 wants 1 to 5 MHz. */
  clockHz: number;
}

export interface NfcPins {
  /** SPI host (1: SPI2/FSPI on the ESP32-S3). */
  spi: number;
  sck: number;
  mosi: number;
  miso: number;
  nss: number;
  /** PN5180 BUSY: high while the chip processes a command. */
  busy: number;
  /** PN5180 IRQ: high while an enabled IRQ_STATUS bit is set; absent: the driver polls IRQ_STATUS. */
  irq?: number;
  /** PN5180 RESET_N: low resets the chip. */
  reset: number;
}

/**
 * Peak-detector outputs of tracks 1 and 2 (a missing track: absent). Track 3 is not wired: payment
 * cards carry their data on tracks 1 and 2 (ISO/IEC 7813), track 3 is not used by the networks.
 */
export interface MagstripePins {
  track1?: number;
  track2?: number;
}

export interface BoardPins {
  contact: ContactSlotPins;
  nfc: NfcPins;
  magstripe: MagstripePins;
  /** Keypad matrix: rows are driven low one at a time, columns read with pull-ups. */
  keypad: { rows: number[]; columns: number[] };
  /** Status lights left to right, and the buzzer (PWM). */
  leds: [number, number, number, number];
  buzzer: number;
  /** Tamper sensors: inputs that read low when the sensor tripped (enclosure switch, mesh). */
  tamper: { enclosure?: number; mesh?: number; latch: number; rearm: number };
  /** The cell's divider midpoint (an ADC1 GPIO), the charger's STAT (an RTC GPIO), the divider's ratio; absent: USB-powered. */
  battery?: { sense: number; charging: number; dividerRatio: number };
}

function pin(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 48) throw new RangeError(`board: ${name} must be a GPIO 0 to 48`);
  return v;
}

function optionalPin(v: unknown, name: string): number | undefined {
  return v === undefined || v === null ? undefined : pin(v, name);
}

/** A pin that must be in `from` ... `to` for the peripheral it serves (ESP32-S3 datasheet, "IO MUX and GPIO Matrix"). */
function pinIn(v: unknown, name: string, from: number, to: number, what: string): number {
  const p = pin(v, name);
  if (p < from || p > to) throw new RangeError(`board: ${name} must be ${what}, GPIO ${from} to ${to}`);
  return p;
}

function section(v: unknown, name: string): Record<string, unknown> {
  if (v === null || typeof v !== "object") throw new RangeError(`board: config.${name} missing`);
  return v as Record<string, unknown>;
}

/** The pins of manifest.json's `config.board`, checked. */
export function boardPins(): BoardPins {
  const board = section((config as Record<string, unknown>).board, "board");
  const c = section(board.contact, "board.contact");
  const n = section(board.nfc, "board.nfc");
  const m = section(board.magstripe, "board.magstripe");
  const k = section(board.keypad, "board.keypad");
  const t = section(board.tamper, "board.tamper");
  const leds = board.leds;
  if (!Array.isArray(leds) || leds.length !== 4) throw new RangeError("board: config.board.leds must list 4 GPIOs");
  const rows = k.rows, columns = k.columns;
  if (!Array.isArray(rows) || !Array.isArray(columns) || rows.length !== 4 || columns.length !== 4) {
    throw new RangeError("board: the keypad is a 4 x 4 matrix");
  }
  let clkdiv: ContactSlotPins["clkdiv"];
  if (c.clkdiv !== undefined) {
    const d = section(c.clkdiv, "board.contact.clkdiv");
    const levels = d.levels, dpins = d.pins;
    if (!Array.isArray(levels) || levels.length !== 2 || levels.some((l) => l !== 0 && l !== 1) || !Array.isArray(dpins) || dpins.length !== 2) {
      throw new RangeError("board: contact.clkdiv is { pins: [p1, p2], levels: [0|1, 0|1] }");
    }
    clkdiv = { pins: [pin(dpins[0], "clkdiv.pins[0]"), pin(dpins[1], "clkdiv.pins[1]")], levels: [levels[0] as 0 | 1, levels[1] as 0 | 1] };
  }
  if (m.track3 !== undefined) throw new RangeError("board: magstripe.track3 is not wired (payment cards use tracks 1 and 2, ISO/IEC 7813)");
  if (typeof c.clockHz !== "number" || c.clockHz < 1e6 || c.clockHz > 5e6) throw new RangeError("board: contact.clockHz must be 1 to 5 MHz (EMV Book 1)");
  let battery: BoardPins["battery"];
  if (board.battery !== undefined) {
    const b = section(board.battery, "board.battery");
    if (typeof b.dividerRatio !== "number" || !(b.dividerRatio >= 1 && b.dividerRatio <= 10)) throw new RangeError("board: battery.dividerRatio must be 1 to 10");
    battery = {
      // ADC2 is the Wi-Fi/BT radio's while it runs: the cell is measured on ADC1. STAT must be an RTC GPIO to end a deep sleep (EXT1).
      sense: pinIn(b.sense, "battery.sense", 1, 10, "an ADC1 input"),
      charging: pinIn(b.charging, "battery.charging", 0, 21, "an RTC GPIO"),
      dividerRatio: b.dividerRatio,
    };
  }
  return {
    contact: {
      uart: c.uart === 2 ? 2 : 1, tx: pin(c.tx, "contact.tx"), rx: pin(c.rx, "contact.rx"), cmdvcc: pin(c.cmdvcc, "contact.cmdvcc"),
      rstin: pin(c.rstin, "contact.rstin"), off: pin(c.off, "contact.off"), clkdiv, vsel: optionalPin(c.vsel, "contact.vsel"), clockHz: c.clockHz,
    },
    nfc: {
      spi: typeof n.spi === "number" ? n.spi : 1, sck: pin(n.sck, "nfc.sck"), mosi: pin(n.mosi, "nfc.mosi"), miso: pin(n.miso, "nfc.miso"),
      nss: pin(n.nss, "nfc.nss"), busy: pin(n.busy, "nfc.busy"), irq: optionalPin(n.irq, "nfc.irq"), reset: pin(n.reset, "nfc.reset"),
    },
    magstripe: { track1: optionalPin(m.track1, "magstripe.track1"), track2: optionalPin(m.track2, "magstripe.track2") },
    keypad: { rows: rows.map((p, i) => pin(p, `keypad.rows[${i}]`)), columns: columns.map((p, i) => pin(p, `keypad.columns[${i}]`)) },
    leds: [pin(leds[0], "leds[0]"), pin(leds[1], "leds[1]"), pin(leds[2], "leds[2]"), pin(leds[3], "leds[3]")],
    buzzer: pin(board.buzzer, "buzzer"),
    tamper: { enclosure: optionalPin(t.enclosure, "tamper.enclosure"), mesh: optionalPin(t.mesh, "tamper.mesh"), latch: pin(t.latch, "tamper.latch"), rearm: pin(t.rearm, "tamper.rearm") },
    battery,
  };
}
