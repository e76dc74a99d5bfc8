// The BER-TLV tags of the reader-phone protocol (docs/protocol.md, "Fields"). Protocol fields are
// private-class primitive tags DF8E01 to DF8E7F (ISO/IEC 8825-1, 8.1.2: class 11, three-byte tag)
// and private-class constructed templates E1 to E9; a field that IS an EMV data element keeps its
// EMV tag (9F02 amount, 5F2A currency, 9C transaction type, 8A ARC...), so a phone developer reads
// it in EMV Book 3, Annex A. Numbers are never reused for another meaning.

export const TAG = {
  // Every response.
  status: "DF8E01",
  transactionId: "DF8E02",
  attemptsLeft: "DF8E03",

  // Handshake, certificate and pairing.
  protocolVersions: "DF8E10",
  ephemeralKey: "DF8E11",
  nonce: "DF8E12",
  phoneId: "DF8E13",
  signature: "DF8E14",
  proof: "DF8E15",
  phoneName: "DF8E16",
  certificate: "E1",
  certificateVersion: "DF8E18",
  subject: "DF8E19",
  publicKey: "DF8E1A",
  notBefore: "DF8E1B",
  notAfter: "DF8E1C",
  issuerKeyId: "DF8E1D",

  // Device information and status.
  model: "DF8E20",
  serial: "DF8E21",
  firmwareVersion: "DF8E22",
  configurationVersion: "DF8E23",
  hardwareRevision: "DF8E24",
  key: "E2",
  keyUsage: "DF8E26",
  keySetId: "DF8E27",
  ksn: "DF8E28",
  keyScheme: "DF8E29",
  batteryPercent: "DF8E30",
  charging: "DF8E31",
  cardPresent: "DF8E32",
  tampered: "DF8E33",
  keysLoaded: "DF8E34",
  timeSet: "DF8E35",
  transactionActive: "DF8E36",

  // Transactions (EMV data elements keep their EMV tags: EMV Book 3, Annex A).
  amountAuthorised: "9F02",
  amountOther: "9F03",
  currencyCode: "5F2A",
  currencyExponent: "5F36",
  transactionType: "9C",
  interfaces: "DF8E40",
  timeoutSeconds: "DF8E41",

  // Events.
  eventKind: "DF8E50",
  prompt: "DF8E51",
  cardInterface: "DF8E52",
  pinDigits: "DF8E53",
  outcome: "DF8E54",
  maskedPan: "DF8E55",
  envelope: "E3",
  envelopeScheme: "DF8E56",
  ciphertext: "DF8E57",
  mac: "DF8E58",
  pinBlock: "E4",
  pinBlockValue: "DF8E59",
  pinBlockFormat: "DF8E5A",
  emvData: "E5",
  outcomeReason: "DF8E5D",

  // Online response (EMV tags: 8A ARC, 91 Issuer Authentication Data, 89 Authorisation Code).
  onlineResult: "DF8E60",
  authorisationResponseCode: "8A",
  issuerAuthenticationData: "91",
  authorisationCode: "89",
  issuerScripts: "E6",

  // Reversal log.
  reversal: "E7",
  reversalReason: "DF8E61",
  timestamp: "DF8E62",
  more: "DF8E63",
  maxRecords: "DF8E64",
  cleared: "DF8E65",

  // Held outcomes (GET-OUTCOMES).
  heldOutcome: "EB",

  // Time and configuration.
  epochSeconds: "DF8E70",
  signedPayload: "DF8E72",
  signerKeyId: "DF8E73",
  terminalData: "E8",
  aid: "E9",
  aidValue: "9F06",
  partialSelection: "DF8E74",
  tacDefault: "DF8E75",
  tacDenial: "DF8E76",
  tacOnline: "DF8E77",
  floorLimit: "DF8E78",
  capk: "EA",
  rid: "DF8E79",
  capkIndex: "DF8E7A",
  modulus: "DF8E7B",
  exponent: "DF8E7C",
  capkChecksum: "DF8E7D",
  applicationVersion: "9F09",

  // Firmware update (firmware-messages.ts, issue 13; the version travels in firmwareVersion).
  firmwarePreamble: "DF8E66",
  imageOffset: "DF8E67",
  imageChunk: "DF8E68",
  imageLength: "DF8E69",
  imageHash: "DF8E6A",
  slotState: "DF8E6B",
  updatePhase: "DF8E6C",
} as const;
