import { zeroize } from "../bytes";
import { encodePinBlockDigits } from "../security/pin-block";
import { PinBlockError } from "../security/errors";
import type { PinEntryResult } from "./cardholder";
import { decodeCardTlv } from "./card-tlv";
import { getChallenge, getData, verify, SW_OK, VERIFY_ENCIPHERED_PIN, VERIFY_PLAINTEXT_PIN } from "./commands";
import { show, type TransactionContext } from "./context";
import { CardDataError } from "./errors";
import { encipherOfflinePin } from "./oda";
import { odaCardData } from "./offline-data-authentication";
import { TVR } from "./tvr";

// Offline PIN, verified by the card: EMV 4.4 Book 3, 10.5.1 (and 6.5.12, VERIFY). Plaintext: the PIN
// block of ISO 9564-1 format 2 in VERIFY P2 '80'. Enciphered (Book 2, section 7): the same block with
// the card's challenge (GET CHALLENGE, Book 3, 6.5.6) under the card's RSA key, in VERIFY P2 '88'.

/** How one CVM ended (Book 3, 10.5 and Annex C3, CVM Results byte 3). */
export type CvmStep =
  | { kind: "successful" }
  /** Performed, but the result is not known to the terminal (online PIN, signature). */
  | { kind: "unknown" }
  | { kind: "failed" }
  /** The cardholder cancelled or let the PIN entry time out: the transaction ends. */
  | { kind: "aborted"; reason: "cancelled" | "timeout" };

/**
 * Book 3, 10.5.1: the PIN Try Counter '9F17' by GET DATA, or undefined when the card does not give
 * it (then the terminal goes on with PIN entry).
 */
export async function readPinTryCounter(ctx: TransactionContext): Promise<number | undefined> {
  const r = await getData(ctx.deps.transport, 0x9f17);
  if (r.sw !== SW_OK) return undefined;
  try {
    const objects = decodeCardTlv(r.data, "GET DATA PIN Try Counter");
    const o = objects.length === 1 ? objects[0] : undefined;
    return o && o.tag === "9F17" && o.length === 1 ? o.value[0] : undefined;
  } catch (e) {
    if (e instanceof CardDataError) return undefined;
    throw e;
  }
}

/** What a PIN entry that did not yield a PIN means for the CVM (Book 3, 10.5.1). */
export function pinNotObtained(ctx: TransactionContext, entry: Exclude<PinEntryResult, { kind: "entered" }>): CvmStep {
  switch (entry.kind) {
    case "bypassed":
      ctx.tvr.set(TVR.pinNotEntered);
      return { kind: "failed" };
    case "pin-pad-failure":
      ctx.tvr.set(TVR.pinPadNotPresentOrNotWorking);
      return { kind: "failed" };
    case "cancelled":
      return { kind: "aborted", reason: "cancelled" };
    case "timeout":
      return { kind: "aborted", reason: "timeout" };
  }
}

/**
 * ISO 9564-1 format 2 (the block Book 3, 6.5.12 prescribes for VERIFY). A PIN the pad should not
 * have accepted (not 4-12 digits) counts as not entered.
 */
function plaintextPinBlock(pin: Uint8Array): Uint8Array | undefined {
  try {
    return encodePinBlockDigits(2, pin, {});
  } catch (e) {
    if (e instanceof PinBlockError) return undefined;
    throw e;
  }
}

/** The VERIFY data for an enciphered PIN, or undefined when GET CHALLENGE fails (Book 2, 7.2). */
async function encipheredPinData(ctx: TransactionContext, block: Uint8Array, key: { modulus: Uint8Array; exponent: Uint8Array }): Promise<Uint8Array | undefined> {
  const challenge = await getChallenge(ctx.deps.transport);
  if (challenge.sw !== SW_OK || challenge.data.length !== 8) return undefined;
  return encipherOfflinePin(ctx.deps.crypto, key, block, challenge.data, ctx.deps.random);
}

export async function performOfflinePin(ctx: TransactionContext, enciphered: boolean): Promise<CvmStep> {
  // Book 2, 7.1: the key comes first; a card whose key cannot be recovered cannot take an
  // enciphered PIN, and the CVM fails without asking for one.
  let key: { modulus: Uint8Array; exponent: Uint8Array } | undefined;
  if (enciphered) {
    const k = ctx.deps.oda.pinEnciphermentKey(odaCardData(ctx));
    if (!k.ok) return { kind: "failed" };
    key = k.key;
  }
  // PIN Try Counter at zero: "PIN Try Limit exceeded", and no PIN is asked for.
  let triesLeft = await readPinTryCounter(ctx);
  if (triesLeft === 0) {
    ctx.tvr.set(TVR.pinTryLimitExceeded);
    return { kind: "failed" };
  }
  for (;;) {
    const lastTry = triesLeft === 1;
    if (lastTry) show(ctx, "lastPinTry");
    show(ctx, "enterPin");
    const entry = await ctx.deps.cardholder.enterPin({ kind: "offline", triesLeft, lastTry });
    if (entry.kind !== "entered") return pinNotObtained(ctx, entry);
    const block = plaintextPinBlock(entry.pin);
    zeroize(entry.pin);
    if (!block) return pinNotObtained(ctx, { kind: "bypassed" });
    let data: Uint8Array | undefined;
    try {
      data = key ? await encipheredPinData(ctx, block, key) : block.slice();
    } finally {
      zeroize(block);
    }
    if (!data) return { kind: "failed" };
    const r = await verify(ctx.deps.transport, key ? VERIFY_ENCIPHERED_PIN : VERIFY_PLAINTEXT_PIN, data);
    zeroize(data);
    if (r.sw === SW_OK) {
      show(ctx, "pinOk");
      return { kind: "successful" };
    }
    // Book 3, 6.5.12.4: '63Cx' wrong PIN with x tries left; '6983' / '6984' the PIN is blocked.
    if (r.sw1 === 0x63 && (r.sw2 & 0xf0) === 0xc0) {
      triesLeft = r.sw2 & 0x0f;
      if (triesLeft === 0) {
        ctx.tvr.set(TVR.pinTryLimitExceeded);
        return { kind: "failed" };
      }
      show(ctx, "incorrectPin");
      continue;
    }
    if (r.sw === 0x6983 || r.sw === 0x6984) {
      ctx.tvr.set(TVR.pinTryLimitExceeded);
      return { kind: "failed" };
    }
    throw new CardDataError(`VERIFY: status ${r.sw.toString(16).toUpperCase()} (Book 3, 6.5.12.4)`);
  }
}
