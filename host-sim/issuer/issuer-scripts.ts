// Issuer scripts (EMV Book 3, 10.10: templates '71' before and '72' after the final
// GENERATE AC, each with an optional Issuer Script Identifier '9F18' and Issuer Script Commands
// '86'), with secure messaging (Book 2, section 9): every command carries a MAC under SK_SMI, and
// PIN CHANGE's new PIN is enciphered under SK_SMC, both session keys diversified with the ARQC.

import { concat } from "../../kernel/bytes";
import type { CryptoProvider } from "../../kernel/crypto";
import {
  deriveIccMasterKey, deriveSecureMessagingSessionKey, encipherScriptData, securedScriptCommand, type ScriptCommandHeader,
} from "../../kernel/emv/crypto";
import { encodeTlv } from "../../kernel/tlv";
import type { CardAccount } from "./card-accounts";

export type IssuerScriptCommandName = "application-block" | "application-unblock" | "card-block" | "pin-unblock" | "pin-change";

export interface IssuerScriptRequest {
  command: IssuerScriptCommandName;
  /** For "pin-change": the new PIN, 4 to 12 digits. */
  newPin?: string;
  /** '71': processed before the final GENERATE AC; '72' (default): after it. */
  template?: "71" | "72";
}

/** Book 3, 6.5.1-6.5.3 and 6.5.10 command headers with CLA '84' (secure messaging). */
const HEADERS: Record<IssuerScriptCommandName, ScriptCommandHeader> = {
  "application-block": { cla: 0x84, ins: 0x1e, p1: 0x00, p2: 0x00 },
  "application-unblock": { cla: 0x84, ins: 0x18, p1: 0x00, p2: 0x00 },
  "card-block": { cla: 0x84, ins: 0x16, p1: 0x00, p2: 0x00 },
  "pin-unblock": { cla: 0x84, ins: 0x24, p1: 0x00, p2: 0x00 },
  "pin-change": { cla: 0x84, ins: 0x24, p1: 0x00, p2: 0x02 },
};

/** The plaintext offline PIN block (Book 3, 6.5.12, Table 24: '2' N PIN 'F'...). */
export function offlinePinBlock(pin: string): Uint8Array {
  if (!/^[0-9]{4,12}$/.test(pin)) throw new Error("issuer script: a PIN is 4 to 12 digits");
  const nibbles = ("2" + pin.length.toString(16).toUpperCase() + pin).padEnd(16, "F");
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = parseInt(nibbles.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** One script template with the requested commands, MACed for this card and transaction. */
export function buildIssuerScript(
  c: CryptoProvider,
  account: CardAccount,
  arqc: Uint8Array,
  atc: Uint8Array,
  requests: readonly IssuerScriptRequest[],
  template: "71" | "72",
  scriptId: Uint8Array,
): Uint8Array {
  const mkSmi = deriveIccMasterKey(c, account.keys.imkSmi, account.pan, account.panSequenceNumber, "A");
  const mkSmc = deriveIccMasterKey(c, account.keys.imkSmc, account.pan, account.panSequenceNumber, "A");
  const skSmi = deriveSecureMessagingSessionKey(c, mkSmi, arqc);
  const skSmc = deriveSecureMessagingSessionKey(c, mkSmc, arqc);
  try {
    const commands = requests.map((r) => {
      let data: Uint8Array = new Uint8Array(0);
      if (r.command === "pin-change") {
        const block = offlinePinBlock(r.newPin ?? "");
        data = encipherScriptData(c, skSmc, block);
        block.fill(0);
      }
      return encodeTlv("86", securedScriptCommand(c, skSmi, HEADERS[r.command], data, atc, arqc));
    });
    return encodeTlv(template, concat(encodeTlv("9F18", scriptId), ...commands));
  } finally {
    for (const k of [mkSmi, mkSmc, skSmi, skSmc]) k.fill(0);
  }
}
