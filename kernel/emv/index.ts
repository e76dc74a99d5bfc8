// The EMV contact level 2 kernel (EMV 4.4 Books 1-4): application selection, then one function per
// Book 3 phase over a transaction context. `performTransaction` runs them all.

export { performTransaction, type EmvOutcome, type EmvOutcomeKind } from "./transaction";
export {
  newContext,
  TRANSACTION_TYPE,
  type CvmName,
  type EmvKernelDeps,
  type TransactionContext,
  type TransactionParams,
} from "./context";
export type { ApplicationChoice, CardholderInterface, PinEntryResult, PinKind, PinRequest } from "./cardholder";
export type { AuthorizationRequest, AuthorizationResult, OnlineAuthorizer, OnlinePinBlock, OnlinePinEncryptor } from "./online";
export { loadTerminalConfig, type AidConfig, type TerminalConfig } from "./terminal-config";
export { createOdaEnvironment, type OdaEnvironment } from "./oda-environment";
export { CardDataError, EmvConfigError } from "./errors";
export { TVR, newTvr } from "./tvr";
export { TSI, newTsi } from "./tsi";
export { AIP } from "./aip";
export { AUC } from "./auc";
export { MESSAGES, type MessageName } from "./messages";
export { BitSet, hasBit, type BitDef } from "./bits";
export { parseCvmList, CVM, CVM_CONDITION, type CvmList, type CvRule } from "./cvm-list";
export { decodePan } from "./numeric";
export type { EmvDate } from "./dates";
