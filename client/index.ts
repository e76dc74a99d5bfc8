// The phone SDK (docs/protocol.md, "Phone SDK").
export { ReaderClient, type ReaderClientOptions, type ReaderTransaction, type TransactionOptions, type BleStats } from "./reader-client";
export type { GattTransport, GattConnectOptions } from "./gatt-transport";
export { ReaderStatusError, ConnectionError, type ConnectionErrorCode } from "./errors";
export { MemoryCredentialStore, type CredentialStore } from "./credentials";
export { OutcomeLedger, collectHeldOutcomes, REMEMBERED_OUTCOMES, type ReportedOutcomeStore, type HeldOutcomePort } from "./outcome-ledger";
export { EventStream } from "./event-stream";
export { BridgeTransport, type BridgeTransportOptions, type WebSocketLike } from "./transports/bridge";
export { WebBluetoothTransport, webBluetoothServiceUuid, type WebBluetoothOptions } from "./transports/web-bluetooth";
export { NativeBleTransport, type NativeBleDevice, type NativeBleTransportOptions } from "./transports/react-native";
export type {
  AuthorisationData, CardInterface, DeviceInfo, DeviceStatus, HeldOutcomeRecord, OnlineAnswer, Prompt, ReaderEvent, ReversalRecord,
  SignedConfiguration, StartTransaction, TransactionOutcome,
} from "../kernel/protocol";
