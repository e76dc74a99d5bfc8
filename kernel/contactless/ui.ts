// The user interface of a contactless reader, EMV Contactless Book A ("User Interface"): what the
// kernels and the Entry Point ask the reader to show (a User Interface Request: a standard message,
// a status, a hold time), the standard messages by identifier, and how the reader renders a status
// on its four status lights and its beeper (the visual status indicators and audio indications). A kernel names a request; the device
// (LEDs, buzzer, display) and the simulator (prompts) render it.

/** Book A, Standard Messages: the Message Identifier of each (also coded in C-2's 'DF8116'). */
export const CL_MESSAGES = {
  approved: { id: 0x03, text: "APPROVED" },
  notAuthorised: { id: 0x07, text: "NOT AUTHORISED" },
  enterPin: { id: 0x09, text: "PLEASE ENTER YOUR PIN" },
  processingError: { id: 0x0f, text: "PROCESSING ERROR" },
  removeCard: { id: 0x10, text: "PLEASE REMOVE CARD" },
  welcome: { id: 0x14, text: "WELCOME" },
  presentCard: { id: 0x15, text: "PRESENT CARD" },
  processing: { id: 0x16, text: "PROCESSING" },
  cardReadOk: { id: 0x17, text: "CARD READ OK PLEASE REMOVE CARD" },
  insertOrSwipeCard: { id: 0x18, text: "PLEASE INSERT OR SWIPE CARD" },
  presentOneCardOnly: { id: 0x19, text: "PLEASE PRESENT ONE CARD ONLY" },
  approvedPleaseSign: { id: 0x1a, text: "APPROVED PLEASE SIGN" },
  authorisingPleaseWait: { id: 0x1b, text: "AUTHORISING PLEASE WAIT" },
  insertSwipeOrTryAnotherCard: { id: 0x1c, text: "INSERT, SWIPE OR TRY ANOTHER CARD" },
  pleaseInsertCard: { id: 0x1d, text: "PLEASE INSERT CARD" },
  clearDisplay: { id: 0x1e, text: "" },
  seePhone: { id: 0x20, text: "SEE PHONE FOR INSTRUCTIONS" },
  presentCardAgain: { id: 0x21, text: "PRESENT CARD AGAIN" },
} as const;

export type ClMessage = keyof typeof CL_MESSAGES;

/** Book A, Status: the reader's status (and its coding in User Interface Request Data 'DF8116'). */
export const CL_STATUS = {
  notReady: 0x00,
  idle: 0x01,
  readyToRead: 0x02,
  processing: 0x03,
  cardReadSuccessfully: 0x04,
  processingError: 0x05,
} as const;

export type ClStatus = keyof typeof CL_STATUS;

/** Book A: a User Interface Request. */
export interface UiRequest {
  message: ClMessage;
  status: ClStatus;
  /** How long the message stays, ms (0: until the next request). */
  holdTimeMs: number;
  /** An amount to show beside the message (the Value Qualifier "Amount"), minor units. */
  amount?: number;
  /**
   * Book A, 7.1 (User Interface Request Data, "Language Preference"): the card's Language
   * Preference '5F2D' as the card gave it (untrusted bytes; the reader parses them, Book 4, 11.1).
   */
  languagePreference?: Uint8Array;
}

/** Where the contactless kernels send their UI requests. */
export interface ContactlessUi {
  request(request: UiRequest): void;
}

export type Tone = "success" | "alert";

/** Book A, audio indications: the success tone (one ~1500 Hz tone of ~500 ms) and the alert tone (two ~750 Hz tones of ~200 ms, 200 ms apart). */
export const TONES: Record<Tone, { frequencyHz: number; toneMs: number; count: number; pauseMs: number }> = {
  success: { frequencyHz: 1500, toneMs: 500, count: 1, pauseMs: 0 },
  alert: { frequencyHz: 750, toneMs: 200, count: 2, pauseMs: 200 },
};

export interface Indicators {
  /** The four status lights, left to right (Book A, visual status indicators): on or off. */
  lights: [boolean, boolean, boolean, boolean];
  /** The first light flashes instead of staying on (Idle). */
  flashFirst: boolean;
  tone?: Tone;
}

/**
 * Book A, visual status indicators: the four lights for a status. Idle: the first light flashes; Ready to Read: the first
 * light on; Processing: the first two; Card Read Successfully: all four, with the success tone;
 * Processing Error: all off, with the alert tone; Not Ready: all off.
 */
export function indicatorsFor(status: ClStatus): Indicators {
  switch (status) {
    case "idle":
      return { lights: [true, false, false, false], flashFirst: true };
    case "readyToRead":
      return { lights: [true, false, false, false], flashFirst: false };
    case "processing":
      return { lights: [true, true, false, false], flashFirst: false };
    case "cardReadSuccessfully":
      return { lights: [true, true, true, true], flashFirst: false, tone: "success" };
    case "processingError":
      return { lights: [false, false, false, false], flashFirst: false, tone: "alert" };
    default:
      return { lights: [false, false, false, false], flashFirst: false };
  }
}

/** A UI request with no hold time. */
export function ui(message: ClMessage, status: ClStatus, holdTimeMs = 0, amount?: number): UiRequest {
  const r: UiRequest = { message, status, holdTimeMs };
  if (amount !== undefined) r.amount = amount;
  return r;
}
