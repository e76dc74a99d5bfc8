// The card's side of issuer script commands (EMV Book 3, 6.5.1 APPLICATION BLOCK, 6.5.2
// APPLICATION UNBLOCK, 6.5.3 CARD BLOCK, 6.5.10 PIN CHANGE/UNBLOCK), all with secure messaging
// (CLA '84', Book 2, 9.2): the last 8 bytes of the data are a MAC under SK_SMI, the session key
// derived from MK_SMI with R = the application cryptogram of this transaction's first GENERATE AC
// (Book 2, 9.2.3). PIN CHANGE's new PIN comes enciphered under SK_SMC (Book 2, 9.3).

import { softwareCrypto as c } from "../../kernel/crypto";
import {
  decipherScriptData, deriveSecureMessagingSessionKey, SCRIPT_MAC_BYTES, verifyScriptCommandMac,
} from "../../kernel/emv/crypto";
import type { ParsedCommandApdu } from "../../kernel/iso7816/apdu";
import { atcBytes, type AppletContext } from "./applet-context";
import { offlinePinDigits } from "./cardholder-verification";
import { respond, SW } from "./status-words";

export const INS_APPLICATION_BLOCK = 0x1e;
export const INS_APPLICATION_UNBLOCK = 0x18;
export const INS_CARD_BLOCK = 0x16;
export const INS_PIN_CHANGE_UNBLOCK = 0x24;
/** Book 3, 6.5.10.2: P2 '00' unblocks the PIN, '01' changes it with the current PIN, '02' without. */
const P2_PIN_UNBLOCK = 0x00;
const P2_PIN_CHANGE_WITHOUT_CURRENT = 0x02;

export function isIssuerScriptCommand(cmd: ParsedCommandApdu): boolean {
  return cmd.cla === 0x84 && [INS_APPLICATION_BLOCK, INS_APPLICATION_UNBLOCK, INS_CARD_BLOCK, INS_PIN_CHANGE_UNBLOCK].includes(cmd.ins);
}

function failed(ctx: AppletContext, sw: number): Uint8Array {
  ctx.persistent.scriptFailed = true;
  return respond(sw);
}

export function issuerScriptCommand(ctx: AppletContext, cmd: ParsedCommandApdu): Uint8Array {
  const { tx, persistent: s, image } = ctx;
  const first = tx.first;
  // Secure messaging needs this transaction's cryptogram (Book 2, 9.2.3).
  if (!first || first.type !== "ARQC") return failed(ctx, SW.conditionsNotSatisfied);
  if (cmd.p1 !== 0x00) return failed(ctx, SW.wrongP1P2);
  if (cmd.ins !== INS_PIN_CHANGE_UNBLOCK && cmd.p2 !== 0x00) return failed(ctx, SW.wrongP1P2);
  const skSmi = deriveSecureMessagingSessionKey(c, image.mkSmi, first.cryptogram);
  const data = verifyScriptCommandMac(c, skSmi, cmd, cmd.data, atcBytes(s.atc), first.cryptogram, SCRIPT_MAC_BYTES);
  skSmi.fill(0);
  if (!data) return failed(ctx, SW.incorrectSecureMessaging);
  s.scriptCommands++;
  switch (cmd.ins) {
    case INS_APPLICATION_BLOCK:
      s.applicationBlocked = true;
      return respond(SW.ok);
    case INS_APPLICATION_UNBLOCK:
      s.applicationBlocked = false;
      return respond(SW.ok);
    case INS_CARD_BLOCK:
      s.cardBlocked = true;
      return respond(SW.ok);
    default:
      return pinChangeUnblock(ctx, cmd.p2, data, first.cryptogram);
  }
}

function pinChangeUnblock(ctx: AppletContext, p2: number, data: Uint8Array, cryptogram: Uint8Array): Uint8Array {
  const { persistent: s, image } = ctx;
  if (p2 === P2_PIN_UNBLOCK) {
    if (data.length !== 0) return failed(ctx, SW.wrongLength);
    s.pinTryCounter = image.app.pinTryLimit;
    return respond(SW.ok);
  }
  if (p2 !== P2_PIN_CHANGE_WITHOUT_CURRENT) return failed(ctx, SW.wrongP1P2);
  if (data.length !== 8) return failed(ctx, SW.wrongLength);
  const skSmc = deriveSecureMessagingSessionKey(c, image.mkSmc, cryptogram);
  const block = decipherScriptData(c, skSmc, data);
  skSmc.fill(0);
  const digits = offlinePinDigits(block);
  block.fill(0);
  if (!digits) return failed(ctx, SW.wrongData);
  s.pin.fill(0);
  s.pin = digits;
  s.pinTryCounter = image.app.pinTryLimit;
  return respond(SW.ok);
}
