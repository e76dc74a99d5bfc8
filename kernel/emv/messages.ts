// The standard messages a terminal shows the cardholder and attendant: EMV 4.4 Book 4, 11.2,
// Table 8, by message identifier. The kernel names a message; the display (and its language, chosen
// in Book 4, 11.1 from the card's Language Preference) renders it.

export const MESSAGES = {
  amount: { id: 0x01, text: "AMOUNT" },
  amountOk: { id: 0x02, text: "AMOUNT OK?" },
  approved: { id: 0x03, text: "APPROVED" },
  callYourBank: { id: 0x04, text: "CALL YOUR BANK" },
  cancelOrEnter: { id: 0x05, text: "CANCEL OR ENTER" },
  cardError: { id: 0x06, text: "CARD ERROR" },
  declined: { id: 0x07, text: "DECLINED" },
  enterAmount: { id: 0x08, text: "ENTER AMOUNT" },
  enterPin: { id: 0x09, text: "ENTER PIN" },
  incorrectPin: { id: 0x0a, text: "INCORRECT PIN" },
  insertCard: { id: 0x0b, text: "INSERT CARD" },
  notAccepted: { id: 0x0c, text: "NOT ACCEPTED" },
  pinOk: { id: 0x0d, text: "PIN OK" },
  pleaseWait: { id: 0x0e, text: "PLEASE WAIT" },
  processingError: { id: 0x0f, text: "PROCESSING ERROR" },
  removeCard: { id: 0x10, text: "REMOVE CARD" },
  useChipReader: { id: 0x11, text: "USE CHIP READER" },
  useMagStripe: { id: 0x12, text: "USE MAG STRIPE" },
  tryAgain: { id: 0x13, text: "TRY AGAIN" },
  // Not in Table 8: the reader's own warning before the last offline PIN try (the card's PIN Try
  // Counter read with GET DATA or from SW '63C1'). The identifier is ours, outside Table 8's range.
  lastPinTry: { id: 0x80, text: "LAST PIN TRY" },
} as const;

export type MessageName = keyof typeof MESSAGES;
