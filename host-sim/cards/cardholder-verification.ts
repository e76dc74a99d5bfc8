// The card's side of offline PIN verification: GET CHALLENGE (EMV Book 3, 6.5.6) and VERIFY
// (6.5.12) with the plaintext PIN block (P2 '80') or the PIN enciphered with the ICC public key
// (P2 '88', Book 2, 7.2), with the PIN Try Counter (tag 9F17).
//
// The plaintext offline PIN block (Book 3, 6.5.12, Table 24): C = '2', N = PIN length 4-12, the
// PIN digits, 'F' filler, 8 bytes (ISO 9564-1 format 2).

import { constantTimeEqual } from "../../kernel/bytes";
import type { ParsedCommandApdu } from "../../kernel/iso7816/apdu";
import { randomBytesFrom, type AppletContext } from "./applet-context";
import { CVR } from "./card-verification-results";
import { rsaPrivate } from "./rsa-private";
import { pinTriesLeft, respond, SW } from "./status-words";

const P2_PLAINTEXT_PIN = 0x80;
const P2_ENCIPHERED_PIN = 0x88;
const CHALLENGE_BYTES = 8;

/** The PIN digits (ASCII) of a plaintext offline PIN block, or undefined when it is not well formed. */
export function offlinePinDigits(block: Uint8Array): Uint8Array | undefined {
  if (block.length !== 8 || block[0] >> 4 !== 0x2) return undefined;
  const n = block[0] & 0x0f;
  if (n < 4 || n > 12) return undefined;
  const digits = new Uint8Array(n);
  for (let i = 0; i < 14; i++) {
    const nibble = i % 2 === 0 ? block[1 + (i >> 1)] >> 4 : block[1 + (i >> 1)] & 0x0f;
    if (i < n) {
      if (nibble > 9) return undefined;
      digits[i] = 0x30 + nibble;
    } else if (nibble !== 0x0f) {
      return undefined;
    }
  }
  return digits;
}

/** Book 3, 6.5.6: GET CHALLENGE, an 8-byte unpredictable number for one enciphered PIN. */
export function getChallenge(ctx: AppletContext, cmd: ParsedCommandApdu): Uint8Array {
  if (cmd.p1 !== 0x00 || cmd.p2 !== 0x00) return respond(SW.wrongP1P2);
  const challenge = randomBytesFrom(ctx.random, CHALLENGE_BYTES);
  ctx.tx.challenge = challenge;
  return respond(SW.ok, challenge.slice());
}

/** Book 2, 7.2: deciphers VERIFY '88' data and checks the header and the challenge. */
function decipheredPinBlock(ctx: AppletContext, data: Uint8Array): Uint8Array | number {
  const key = ctx.image.iccKey;
  if (!key) return SW.wrongP1P2;
  if (data.length !== key.modulus.length) return SW.wrongLength;
  const challenge = ctx.tx.challenge;
  ctx.tx.challenge = undefined; // one challenge, one VERIFY
  if (!challenge) return SW.conditionsNotSatisfied;
  let plain: Uint8Array;
  try {
    plain = rsaPrivate(key, data);
  } catch {
    return SW.conditionsNotSatisfied; // not less than the modulus: not enciphered with this card's key
  }
  // '7F' || PIN block || ICC Unpredictable Number || random pad
  if (plain[0] !== 0x7f || !constantTimeEqual(plain.subarray(9, 17), challenge)) {
    plain.fill(0);
    return SW.conditionsNotSatisfied;
  }
  const block = plain.slice(1, 9);
  plain.fill(0);
  return block;
}

/** Book 3, 6.5.12: VERIFY. */
export function verify(ctx: AppletContext, cmd: ParsedCommandApdu): Uint8Array {
  const { tx, persistent: s, image } = ctx;
  if (cmd.p1 !== 0x00 || (cmd.p2 !== P2_PLAINTEXT_PIN && cmd.p2 !== P2_ENCIPHERED_PIN)) return respond(SW.wrongP1P2);
  if (!tx.gpoDone) return respond(SW.conditionsNotSatisfied);
  if (s.pinTryCounter === 0) {
    tx.cvr.set(CVR.pinTryLimitExceeded[0], CVR.pinTryLimitExceeded[1]);
    return respond(SW.authenticationBlocked);
  }
  let block: Uint8Array;
  if (cmd.p2 === P2_PLAINTEXT_PIN) {
    if (cmd.data.length !== 8) return respond(SW.wrongLength);
    block = cmd.data.slice();
  } else {
    const r = decipheredPinBlock(ctx, cmd.data);
    if (typeof r === "number") return respond(r);
    block = r;
  }
  const digits = offlinePinDigits(block);
  block.fill(0);
  tx.cvr.set(CVR.offlinePinPerformed[0], CVR.offlinePinPerformed[1]);
  const match = digits !== undefined && constantTimeEqual(digits, s.pin);
  if (digits) digits.fill(0);
  if (match) {
    s.pinTryCounter = image.app.pinTryLimit;
    tx.cvr.set(CVR.offlinePinFailed[0], CVR.offlinePinFailed[1], false);
    return respond(SW.ok);
  }
  s.pinTryCounter--;
  tx.cvr.set(CVR.offlinePinFailed[0], CVR.offlinePinFailed[1]);
  if (s.pinTryCounter === 0) tx.cvr.set(CVR.pinTryLimitExceeded[0], CVR.pinTryLimitExceeded[1]);
  return respond(pinTriesLeft(s.pinTryCounter));
}
