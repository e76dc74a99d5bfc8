/**
 * The NFC front end of the contactless interface (ISO/IEC 14443 proximity coupling device, PCD),
 * at frame level. Two kinds of controller fit it:
 *
 * - a controller where the host runs the protocol, like the NXP PN5180: it modulates the field and
 *   frames bytes (start and end of frame, parity for Type A, CRC when asked, bit-oriented frames for
 *   the Type A anticollision) and the kernel (kernel/iso14443) runs ISO/IEC 14443-3 activation and
 *   the ISO-DEP block protocol of ISO/IEC 14443-4 over `transceive`;
 * - a controller that runs ISO-DEP itself, like the NXP PN532 (InListPassiveTarget does polling,
 *   anticollision and RATS/ATTRIB; InDataExchange does the block protocol, chaining and WTX): it
 *   offers `isoDep`, and the kernel then hands it whole APDUs.
 *
 * Units are in the names. Times are microseconds of the controller's own timer: a timeout counts
 * from the end of the frame the PCD sent to the start of the PICC's answer (ISO/IEC 14443-3:2018,
 * 6.2.1: the frame delay time is measured the same way). Bit rates are kbit/s: 106 (fc/128), 212,
 * 424, 848 (ISO/IEC 14443-2:2020, 8.1 and 9.1, fc = 13.56 MHz).
 *
 * Bytes go LSB first on the air (ISO/IEC 14443-3): the driver does the bit order; `bits` counts
 * bits as they came, filling each byte from bit 0 upwards.
 *
 * Drivers (hal/esp32/, one options object each, like Moddable's: `{ spi, busy, reset, irq }`):
 * - PN5180 over SPI: LOAD_RF_CONFIG selects technology and bit rates, RF_ON / RF_OFF the field;
 *   `transceive` is SEND_DATA with the valid bits of the last byte (txBits % 8), CRC_TX_CONFIG /
 *   CRC_RX_CONFIG for `crc`, a TIMER1 reload for `timeoutUs`; RX_STATUS gives the bytes received,
 *   the valid bits of the last byte and, for the Type A anticollision, RX_COLLISION_DETECTED with
 *   RX_COLL_POS, which become a "collision" reception; its error bits become "transmission-error".
 * - PN532 over SPI or I2C: InListPassiveTarget (polling, anticollision, RATS or ATTRIB), InPSL (bit
 *   rates), InDataExchange (the block protocol, chaining, WTX) and InDeselect behind `isoDep`; the
 *   frame-level methods then serve only the field (RFConfiguration) and the removal check.
 */
export type RfTechnology = "A" | "B";

export type BitRateKbps = 106 | 212 | 424 | 848;

export interface RfConfiguration {
  technology: RfTechnology;
  /** PCD to PICC bit rate. */
  txKbps: BitRateKbps;
  /** PICC to PCD bit rate. */
  rxKbps: BitRateKbps;
}

export interface TransceiveOptions {
  /**
   * Append the CRC of the technology (CRC_A or CRC_B, ISO/IEC 14443-3:2018, 6.2.4 and 7.2) to the
   * frame sent, and check and strip it from the frame received (a mismatch is a transmission error).
   */
  crc: boolean;
  /**
   * Send only the first `txBits` bits of `frame` (LSB first): 7 for a short frame (REQA, WUPA),
   * 16 + n for an anticollision frame with n known UID bits (ISO/IEC 14443-3:2018, 6.2.3.2).
   * Default: every bit of every byte.
   */
  txBits?: number;
  /** How long to listen for the start of the answer after the end of the frame sent, in us. */
  timeoutUs: number;
}

/** What came back after one frame. */
export type RfReception =
  /** A frame; `bits` is 8 x bytes.length unless the PICC answered a bit-oriented frame. */
  | { kind: "frame"; bytes: Uint8Array; bits: number }
  /**
   * Two or more PICCs answered with different bits (Type A, Manchester coding shows it, ISO/IEC
   * 14443-3:2018, 6.5.2.1): `bits` valid bits were received before the first collided one.
   */
  | { kind: "collision"; bytes: Uint8Array; bits: number }
  /** No answer started within `timeoutUs`. */
  | { kind: "timeout" }
  /** Something was received but not a valid frame: bad CRC, bad parity, bad framing (Type B overlap). */
  | { kind: "transmission-error"; cause: "crc" | "parity" | "framing" };

export interface NfcCapabilities {
  technologies: readonly RfTechnology[];
  /** Bit rates the controller can send and receive (106 always). */
  bitRatesKbps: readonly BitRateKbps[];
  /** The largest frame the controller can send or receive, CRC included (its FIFO). */
  maxFrameBytes: number;
}

/** The outcome of one ISO-DEP exchange run by a controller that does the block protocol itself. */
export type IsoDepExchange =
  | { kind: "response"; bytes: Uint8Array }
  /** The card stopped answering after the controller's own retransmissions. */
  | { kind: "timeout" }
  /** Frames kept arriving damaged after the retransmissions. */
  | { kind: "transmission-error" }
  /** The card broke the block protocol (an unexpected block number, R(NAK) from the card...). */
  | { kind: "protocol-error" };

/** One card activated by a controller that runs ISO/IEC 14443-3 and -4 itself (PN532 style). */
export type IsoDepActivation =
  | {
      kind: "activated";
      technology: RfTechnology;
      /** UID (Type A, 4, 7 or 10 bytes) or PUPI (Type B, 4 bytes). */
      identifier: Uint8Array;
      /** The ATS (Type A, TL included) or the ATQB (Type B), as received. */
      answer: Uint8Array;
      bitRate: { txKbps: BitRateKbps; rxKbps: BitRateKbps };
    }
  | { kind: "none" }
  | { kind: "collision" };

export interface IsoDepEngine {
  /** Polls both technologies for up to `timeoutMs` and activates one ISO-DEP card. */
  activate(timeoutMs: number): Promise<IsoDepActivation>;
  /** One command APDU in, response data || SW1 SW2 out, through I-blocks, chaining and WTX. */
  exchange(apdu: Uint8Array): Promise<IsoDepExchange>;
  /** S(DESELECT) (ISO/IEC 14443-4:2016, 8). */
  deselect(): Promise<void>;
}

export interface NfcController {
  readonly capabilities: NfcCapabilities;
  /** Switches the unmodulated carrier on (ISO/IEC 14443-2); the kernel then waits the guard time. */
  fieldOn(): Promise<void>;
  /** Switches the carrier off: every PICC in the field loses power and state. */
  fieldOff(): Promise<void>;
  /** Technology and bit rates for the next frames. */
  configure(configuration: RfConfiguration): Promise<void>;
  /** Sends one frame and listens for the answer. */
  transceive(frame: Uint8Array, options: TransceiveOptions): Promise<RfReception>;
  /** Present on a controller that runs ISO-DEP itself; the kernel then uses it instead of transceive. */
  readonly isoDep?: IsoDepEngine;
}
