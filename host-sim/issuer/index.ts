// The simulator's issuer host and HSM (issue 6, item 4).
export { IssuerHost, DECLINE_THRESHOLD_MINOR } from "./issuer-host";
export type { AuthorizationDecision, DecisionReason, IssuerHostOptions } from "./issuer-host";
export { buildIssuerScript, offlinePinBlock } from "./issuer-scripts";
export type { IssuerScriptRequest, IssuerScriptCommandName } from "./issuer-scripts";
export { SIM_AES_BDK_HEX, SIM_TDES_BDK_HEX, simAesBdk, simTdesBdk } from "./keys";
export { visaPvv } from "./pvv";
export { issueAccounts, ONLINE_PIN_TRY_LIMIT } from "./card-accounts";
export type { CardAccount } from "./card-accounts";
