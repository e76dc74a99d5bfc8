import type { FieldSpec, FieldType } from "./fields";
import { OUTCOME_REASONS, PROMPTS, type RequestType } from "./message-types";
import { TAG } from "./tags";
import { FIRMWARE_REQUEST_CODES, FIRMWARE_REQUEST_FIELDS, FIRMWARE_RESPONSE_FIELDS } from "./firmware-messages";

// The wire tables of every message (docs/protocol.md, "Messages"): type numbers, and the fields of
// each body with their tags, types and bounds. Read with message-types.ts.

/** Request type numbers; a response has the request's number + 0x80. */
export const REQUEST_CODES: Readonly<Record<RequestType, number>> = {
  "get-info": 0x01,
  "get-status": 0x02,
  "start-transaction": 0x03,
  "cancel": 0x04,
  "online-response": 0x05,
  "get-reversals": 0x06,
  "clear-reversals": 0x07,
  "set-time": 0x08,
  "configure": 0x09,
  "reboot": 0x0a,
  "get-outcomes": 0x0b,
  "clear-outcomes": 0x0c,
  "authenticate": 0x10,
  "pair-begin": 0x11,
  "pair-confirm": 0x12,
  "unpair": 0x13,
  ...FIRMWARE_REQUEST_CODES,
};
export const RESPONSE_BIT = 0x80;
export const EVENT_CODE = 0x40;
export const HELLO_CODE = 0x20;
export const HELLO_REPLY_CODE = HELLO_CODE | RESPONSE_BIT;

const CARD_INTERFACES = { contact: 1, contactless: 2, magstripe: 3 } as const;
const INTERFACE_FLAGS = { contact: 0x01, contactless: 0x02, magstripe: 0x04 } as const;

const u = (bytes: number, min?: number, max?: number): FieldType => ({ t: "uint", bytes, min, max });
const bytes = (min: number, max: number): FieldType => ({ t: "bytes", min, max });
const text = (min: number, max: number, charset: "an" | "ans" = "ans"): FieldType => ({ t: "text", min, max, charset });
const BOOL: FieldType = { t: "bool" };

/** A KSN: 10 bytes (TDES DUKPT, ANSI X9.24-1) or 12 bytes (AES DUKPT, ANSI X9.24-3). */
const KSN = bytes(10, 12);

export const ENVELOPE_FIELDS: readonly FieldSpec[] = [
  { name: "scheme", tag: TAG.envelopeScheme, type: { t: "enum", values: { "aes-dukpt": 1, "tdes-dukpt": 2 } } },
  { name: "ksn", tag: TAG.ksn, type: KSN },
  { name: "ciphertext", tag: TAG.ciphertext, type: bytes(8, 3072) },
  { name: "mac", tag: TAG.mac, type: bytes(8, 16) },
];

const EMV_CLEAR: FieldType = { t: "emv", maxItems: 64, clearOnly: true };
const OUTCOME_RESULT: FieldType = { t: "enum", values: { approved: 1, declined: 2, cancelled: 3, aborted: 4, failed: 5 } };
const OUTCOME_REASON: FieldType = { t: "enum", values: OUTCOME_REASONS };
const CARD_INTERFACE: FieldType = { t: "enum", values: CARD_INTERFACES };

const PIN_BLOCK_FIELDS: readonly FieldSpec[] = [
  { name: "block", tag: TAG.pinBlockValue, type: bytes(8, 16) },
  { name: "ksn", tag: TAG.ksn, type: KSN },
  { name: "format", tag: TAG.pinBlockFormat, type: { t: "enum", values: { iso0: 0, iso4: 4 } } },
];

export const CERTIFICATE_FIELDS: readonly FieldSpec[] = [
  { name: "version", tag: TAG.certificateVersion, type: u(1, 1, 1) },
  { name: "subject", tag: TAG.subject, type: text(1, 24, "an") },
  { name: "publicKey", tag: TAG.publicKey, type: bytes(65, 65) },
  { name: "notBefore", tag: TAG.notBefore, type: u(4) },
  { name: "notAfter", tag: TAG.notAfter, type: u(4) },
  { name: "issuerKeyId", tag: TAG.issuerKeyId, type: bytes(8, 8) },
  { name: "signature", tag: TAG.signature, type: bytes(64, 64) },
];

export const HELLO_FIELDS: readonly FieldSpec[] = [
  { name: "protocolVersions", tag: TAG.protocolVersions, type: bytes(1, 8) },
  { name: "ephemeralKey", tag: TAG.ephemeralKey, type: bytes(65, 65) },
  { name: "nonce", tag: TAG.nonce, type: bytes(16, 16) },
];

/** The reply without its signature: what the signature covers (with the hello). */
export const HELLO_REPLY_SIGNED_FIELDS: readonly FieldSpec[] = [
  { name: "protocolVersions", tag: TAG.protocolVersions, type: bytes(1, 1) },
  { name: "ephemeralKey", tag: TAG.ephemeralKey, type: bytes(65, 65) },
  { name: "nonce", tag: TAG.nonce, type: bytes(16, 16) },
  { name: "certificate", tag: TAG.certificate, type: { t: "record", fields: CERTIFICATE_FIELDS } },
];
export const HELLO_REPLY_SIGNATURE: FieldSpec = { name: "signature", tag: TAG.signature, type: bytes(64, 64) };

const KEY_FIELDS: readonly FieldSpec[] = [
  { name: "usage", tag: TAG.keyUsage, type: { t: "enum", values: { pin: 1, data: 2 } } },
  { name: "scheme", tag: TAG.keyScheme, type: { t: "enum", values: { "aes-dukpt": 1, "tdes-dukpt": 2 } } },
  { name: "keySetId", tag: TAG.keySetId, type: bytes(1, 8) },
  { name: "ksn", tag: TAG.ksn, type: KSN },
];

const REVERSAL_FIELDS: readonly FieldSpec[] = [
  { name: "transactionId", tag: TAG.transactionId, type: u(4) },
  { name: "reason", tag: TAG.reversalReason, type: { t: "enum", values: { noResponse: 1, declinedByCardAfterApproval: 2, cancelledAfterAuthorisation: 3, powerLoss: 4 } } },
  { name: "amount", tag: TAG.amountAuthorised, type: { t: "n", bytes: 6 } },
  { name: "currency", tag: TAG.currencyCode, type: { t: "n", bytes: 2 } },
  { name: "maskedPan", tag: TAG.maskedPan, type: text(8, 19), optional: true },
  { name: "envelope", tag: TAG.envelope, type: { t: "record", fields: ENVELOPE_FIELDS }, optional: true },
  { name: "emvData", tag: TAG.emvData, type: EMV_CLEAR },
  { name: "timestamp", tag: TAG.timestamp, type: u(4), optional: true },
];

/** A held outcome: the payment's id on the phone, amount, currency, then the outcome event's fields without the envelope. */
const HELD_OUTCOME_FIELDS: readonly FieldSpec[] = [
  { name: "transactionId", tag: TAG.transactionId, type: u(4) },
  { name: "amount", tag: TAG.amountAuthorised, type: { t: "n", bytes: 6 } },
  { name: "currency", tag: TAG.currencyCode, type: { t: "n", bytes: 2 } },
  { name: "timestamp", tag: TAG.timestamp, type: u(4), optional: true },
  { name: "result", tag: TAG.outcome, type: OUTCOME_RESULT },
  { name: "reason", tag: TAG.outcomeReason, type: OUTCOME_REASON, optional: true },
  { name: "cardInterface", tag: TAG.cardInterface, type: CARD_INTERFACE, optional: true },
  { name: "maskedPan", tag: TAG.maskedPan, type: text(8, 19), optional: true },
  { name: "emvData", tag: TAG.emvData, type: EMV_CLEAR },
];

export const REQUEST_FIELDS: Readonly<Record<RequestType, readonly FieldSpec[]>> = {
  "get-info": [],
  "get-status": [],
  "start-transaction": [
    { name: "amount", tag: TAG.amountAuthorised, type: { t: "n", bytes: 6 } },
    { name: "otherAmount", tag: TAG.amountOther, type: { t: "n", bytes: 6 }, optional: true },
    { name: "currency", tag: TAG.currencyCode, type: { t: "n", bytes: 2 } },
    { name: "currencyExponent", tag: TAG.currencyExponent, type: { t: "n", bytes: 1 }, optional: true },
    { name: "transactionType", tag: TAG.transactionType, type: { t: "enum", values: { purchase: 0x00, cashback: 0x09, refund: 0x20 } } },
    { name: "interfaces", tag: TAG.interfaces, type: { t: "flags", values: INTERFACE_FLAGS }, optional: true },
    { name: "timeoutSeconds", tag: TAG.timeoutSeconds, type: u(1, 5, 240), optional: true },
  ],
  "cancel": [],
  "online-response": [
    { name: "transactionId", tag: TAG.transactionId, type: u(4) },
    { name: "result", tag: TAG.onlineResult, type: { t: "enum", values: { answered: 0, unable: 1 } } },
    { name: "arc", tag: TAG.authorisationResponseCode, type: text(2, 2, "an"), optional: true },
    { name: "issuerAuthenticationData", tag: TAG.issuerAuthenticationData, type: bytes(8, 16), optional: true },
    { name: "authorisationCode", tag: TAG.authorisationCode, type: text(6, 6), optional: true },
    { name: "scripts", tag: TAG.issuerScripts, type: { t: "emv", maxItems: 8, clearOnly: false }, optional: true },
  ],
  "get-reversals": [{ name: "maxRecords", tag: TAG.maxRecords, type: u(1, 1, 16), optional: true }],
  "clear-reversals": [{ name: "transactionId", tag: TAG.transactionId, type: u(4) }],
  "get-outcomes": [{ name: "maxRecords", tag: TAG.maxRecords, type: u(1, 1, 8), optional: true }],
  "clear-outcomes": [{ name: "transactionId", tag: TAG.transactionId, type: u(4) }],
  "set-time": [{ name: "epochSeconds", tag: TAG.epochSeconds, type: u(4) }],
  "configure": [
    { name: "payload", tag: TAG.signedPayload, type: bytes(1, 3800) },
    { name: "signature", tag: TAG.signature, type: bytes(64, 64) },
    { name: "signerKeyId", tag: TAG.signerKeyId, type: bytes(8, 8) },
  ],
  "reboot": [],
  "authenticate": [
    { name: "phoneId", tag: TAG.phoneId, type: bytes(8, 8) },
    { name: "proof", tag: TAG.proof, type: bytes(32, 32) },
  ],
  "pair-begin": [
    { name: "phoneId", tag: TAG.phoneId, type: bytes(8, 8) },
    { name: "phoneName", tag: TAG.phoneName, type: text(1, 32) },
  ],
  "pair-confirm": [{ name: "proof", tag: TAG.proof, type: bytes(32, 32) }],
  "unpair": [],
  ...FIRMWARE_REQUEST_FIELDS,
};

export const RESPONSE_FIELDS: Readonly<Record<RequestType, readonly FieldSpec[]>> = {
  "get-info": [
    { name: "model", tag: TAG.model, type: text(1, 32) },
    { name: "serial", tag: TAG.serial, type: text(1, 24, "an") },
    { name: "firmwareVersion", tag: TAG.firmwareVersion, type: text(1, 32) },
    { name: "hardwareRevision", tag: TAG.hardwareRevision, type: text(1, 16), optional: true },
    { name: "configurationVersion", tag: TAG.configurationVersion, type: u(4) },
    { name: "protocolVersions", tag: TAG.protocolVersions, type: bytes(1, 8) },
    { name: "keys", tag: TAG.key, type: { t: "record", fields: KEY_FIELDS }, optional: true, repeated: 8 },
  ],
  "get-status": [
    { name: "batteryPercent", tag: TAG.batteryPercent, type: u(1, 0, 100) },
    { name: "charging", tag: TAG.charging, type: BOOL },
    { name: "cardPresent", tag: TAG.cardPresent, type: { t: "flags", values: INTERFACE_FLAGS } },
    { name: "tampered", tag: TAG.tampered, type: BOOL },
    { name: "keysLoaded", tag: TAG.keysLoaded, type: BOOL },
    { name: "timeSet", tag: TAG.timeSet, type: BOOL },
    { name: "transactionActive", tag: TAG.transactionActive, type: BOOL },
  ],
  "start-transaction": [{ name: "transactionId", tag: TAG.transactionId, type: u(4) }],
  "cancel": [],
  "online-response": [],
  "get-reversals": [
    { name: "records", tag: TAG.reversal, type: { t: "record", fields: REVERSAL_FIELDS }, optional: true, repeated: 16 },
    { name: "more", tag: TAG.more, type: BOOL },
  ],
  "clear-reversals": [{ name: "cleared", tag: TAG.cleared, type: u(2) }],
  "get-outcomes": [
    { name: "records", tag: TAG.heldOutcome, type: { t: "record", fields: HELD_OUTCOME_FIELDS }, optional: true, repeated: 8 },
    { name: "more", tag: TAG.more, type: BOOL },
  ],
  "clear-outcomes": [{ name: "cleared", tag: TAG.cleared, type: u(2) }],
  "set-time": [],
  "configure": [{ name: "configurationVersion", tag: TAG.configurationVersion, type: u(4) }],
  "reboot": [],
  "authenticate": [],
  "pair-begin": [{ name: "attemptsLeft", tag: TAG.attemptsLeft, type: u(1) }],
  "pair-confirm": [],
  "unpair": [],
  ...FIRMWARE_RESPONSE_FIELDS,
};

/** Fields of any response, whatever its status. */
export const STATUS_FIELDS: readonly FieldSpec[] = [
  { name: "status", tag: TAG.status, type: u(1) },
  { name: "attemptsLeft", tag: TAG.attemptsLeft, type: u(1), optional: true },
];

/** Every event field; which ones an event holds depends on its kind (messages.ts checks). */
export const EVENT_FIELDS: readonly FieldSpec[] = [
  { name: "transactionId", tag: TAG.transactionId, type: u(4) },
  { name: "kind", tag: TAG.eventKind, type: { t: "enum", values: { "prompt": 1, "card-detected": 2, "pin-entry": 3, "online-request": 4, "outcome": 5 } } },
  { name: "prompt", tag: TAG.prompt, type: { t: "enum", values: PROMPTS }, optional: true },
  { name: "cardInterface", tag: TAG.cardInterface, type: CARD_INTERFACE, optional: true },
  { name: "digits", tag: TAG.pinDigits, type: u(1, 0, 12), optional: true },
  { name: "result", tag: TAG.outcome, type: OUTCOME_RESULT, optional: true },
  { name: "reason", tag: TAG.outcomeReason, type: OUTCOME_REASON, optional: true },
  { name: "maskedPan", tag: TAG.maskedPan, type: text(8, 19), optional: true },
  { name: "envelope", tag: TAG.envelope, type: { t: "record", fields: ENVELOPE_FIELDS }, optional: true },
  { name: "pinBlock", tag: TAG.pinBlock, type: { t: "record", fields: PIN_BLOCK_FIELDS }, optional: true },
  { name: "emvData", tag: TAG.emvData, type: EMV_CLEAR, optional: true },
];
