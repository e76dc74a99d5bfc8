// The wire protocol of the simulator's GATT bridge (host-sim/gatt/bridge-server.ts): one WebSocket
// connection is one BLE connection; every WebSocket message is one JSON object. It carries exactly
// what an ATT bearer and the Security Manager carry (Core Spec v5.3, Vol 3, Parts F and H), so a
// phone adapter over it behaves as over a radio: values are uppercase hex, characteristics are
// named by UUID, errors are ATT error codes.

/** ATT error codes the bridge returns (Core Spec v5.3, Vol 3, Part F, 3.4.1.1, Table 3.4). */
export const ATT_ERRORS = {
  readNotPermitted: 0x02,
  writeNotPermitted: 0x03,
  insufficientAuthentication: 0x05,
  requestNotSupported: 0x06,
  attributeNotFound: 0x0a,
  invalidAttributeValueLength: 0x0d,
  insufficientEncryption: 0x0f,
} as const;

/** Security Manager pairing failure reasons (Vol 3, Part H, 3.5.5, Table 3.7). */
export const SMP_ERRORS = {
  passkeyEntryFailed: 0x01,
  confirmValueFailed: 0x04,
  pairingNotSupported: 0x05,
  unspecifiedReason: 0x08,
} as const;

export type PhoneToBridge =
  /** Exchange MTU Request with the phone's Rx MTU (Vol 3, Part F, 3.4.2.1). */
  | { op: "exchange-mtu"; mtu: number }
  | { op: "read"; id: number; characteristic: string }
  /** A Write Request (`withResponse`, answered by "result" or "error") or a Write Command. */
  | { op: "write"; id: number; characteristic: string; value: string; withResponse: boolean }
  /** Writes the characteristic's Client Characteristic Configuration descriptor (notifications). */
  | { op: "subscribe"; id: number; characteristic: string; enabled: boolean }
  /** Starts LE Secure Connections pairing (passkey entry, the reader displays). */
  | { op: "pair"; id: number }
  /** The passkey the user typed (Vol 3, Part H, 2.3.5.6.3). */
  | { op: "passkey"; id: number; passkey: string }
  /** Encrypts the link with a stored bond (the LTK's handle from an earlier pairing). */
  | { op: "encrypt"; id: number; bond: string };

export type BridgeToPhone =
  /** Sent once on connection: the service and characteristics found by discovery. */
  | { op: "connected"; service: string; characteristics: { uuid: string; properties: string[] }[] }
  /** Exchange MTU Response: the reader's Rx MTU; the ATT_MTU is the smaller of the two. */
  | { op: "mtu"; mtu: number }
  | { op: "result"; id: number; value?: string }
  | { op: "error"; id: number; att?: number; smp?: number; message: string }
  /** Pairing waits for the passkey the reader shows. */
  | { op: "passkey-requested"; id: number }
  | { op: "security"; encrypted: boolean; authenticated: boolean; bonded: boolean; bond?: string }
  /** A Handle Value Notification. */
  | { op: "notify"; characteristic: string; value: string }
  | { op: "disconnected"; reason: string };
