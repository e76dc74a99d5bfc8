import { readUint } from "../bytes";
import { AIP } from "./aip";
import { hasBit } from "./bits";
import { decodeCardTlv } from "./card-tlv";
import { getData, SW_OK } from "./commands";
import type { TransactionContext } from "./context";
import { CardDataError } from "./errors";
import { decodeNumeric, decodePan } from "./numeric";
import { TSI } from "./tsi";
import { TVR } from "./tvr";

// EMV 4.4 Book 3, 10.6: Terminal Risk Management, done when the AIP asks for it: the floor limit,
// random transaction selection and velocity checking; and the terminal exception file, the list of
// cards the acquirer refuses (Annex C5: "Card appears on terminal exception file"). Each finding is
// a TVR bit; terminal action analysis weighs them.

/**
 * Book 3, 10.6.1: Amount, Authorised plus, when the terminal keeps a log, the amount of the most
 * recent transaction it logged for the same card (a split sale), compared with the Terminal Floor
 * Limit: equal or above sets "Transaction exceeds floor limit".
 */
export function checkFloorLimit(ctx: TransactionContext, pan: string): void {
  const app = ctx.app;
  if (!app) return;
  let amount = ctx.params.amount;
  const log = ctx.params.transactionLog ?? [];
  for (let i = log.length - 1; i >= 0; i--) {
    if (log[i].pan === pan) {
      amount += log[i].amount;
      break;
    }
  }
  if (amount >= app.config.floorLimit) ctx.tvr.set(TVR.floorLimitExceeded);
}

/**
 * Book 3, 10.6.2: random transaction selection for amounts below the floor limit. A random number
 * 1-99; below the threshold the transaction goes online when it is at most the Target Percentage;
 * from the threshold to the floor limit the percentage rises linearly to the Maximum Target
 * Percentage (Figure 15).
 */
export function randomTransactionSelection(ctx: TransactionContext): void {
  const app = ctx.app;
  if (!app) return;
  const { floorLimit } = app.config;
  const { threshold, targetPercent, maxTargetPercent } = app.config.randomSelection;
  const amount = ctx.params.amount;
  if (amount >= floorLimit || (targetPercent === 0 && maxTargetPercent === 0)) return;
  const random = randomPercent(ctx);
  let target = targetPercent;
  if (amount >= threshold && floorLimit > threshold) {
    target = targetPercent + ((maxTargetPercent - targetPercent) * (amount - threshold)) / (floorLimit - threshold);
  }
  if (random <= target) ctx.tvr.set(TVR.randomlySelectedForOnline);
}

/** A uniform number 1-99 from the HAL random source (rejection sampling, no modulo bias). */
function randomPercent(ctx: TransactionContext): number {
  const b = new Uint8Array(1);
  for (;;) {
    ctx.deps.random.fill(b);
    if (b[0] < 198) return (b[0] % 99) + 1;
  }
}

/** GET DATA of a 2-byte counter ('9F36' ATC, '9F13' Last Online ATC Register), or undefined. */
async function getCounter(ctx: TransactionContext, tag: number): Promise<number | undefined> {
  const r = await getData(ctx.deps.transport, tag);
  if (r.sw !== SW_OK) return undefined;
  try {
    const objects = decodeCardTlv(r.data, "GET DATA");
    const name = tag.toString(16).toUpperCase();
    const o = objects.length === 1 ? objects[0] : undefined;
    if (!o || o.tag !== name || o.length !== 2) return undefined;
    ctx.data.set(name, o.value, "card");
    return readUint(o.value);
  } catch (e) {
    if (e instanceof CardDataError) return undefined;
    throw e;
  }
}

/**
 * Book 3, 10.6.3: velocity checking, when the card has both the Lower and the Upper Consecutive
 * Offline Limit ('9F14', '9F23'). The ATC and the Last Online ATC Register come by GET DATA; when
 * either is missing, or the ATC is not above the register, both limits count as exceeded. A
 * register of zero means a new card.
 */
export async function velocityChecking(ctx: TransactionContext): Promise<void> {
  const lower = ctx.data.get("9F14");
  const upper = ctx.data.get("9F23");
  if (!lower || !upper || !ctx.app || !ctx.app.config.velocityChecking) return;
  if (lower.length !== 1 || upper.length !== 1) throw new CardDataError("consecutive offline limits '9F14'/'9F23' are not 1 byte");
  const atc = await getCounter(ctx, 0x9f36);
  const lastOnline = await getCounter(ctx, 0x9f13);
  if (atc === undefined || lastOnline === undefined || atc <= lastOnline) {
    ctx.tvr.set(TVR.lowerConsecutiveOfflineLimitExceeded);
    ctx.tvr.set(TVR.upperConsecutiveOfflineLimitExceeded);
  } else {
    if (atc - lastOnline > lower[0]) ctx.tvr.set(TVR.lowerConsecutiveOfflineLimitExceeded);
    if (atc - lastOnline > upper[0]) ctx.tvr.set(TVR.upperConsecutiveOfflineLimitExceeded);
  }
  if (lastOnline === 0) ctx.tvr.set(TVR.newCard);
}

/** The terminal exception file (hot card list): the PAN, and the PSN '5F34' where the entry has one. */
export function checkExceptionFile(ctx: TransactionContext, pan: string): void {
  const psnBytes = ctx.data.get("5F34");
  const psn = psnBytes && psnBytes.length === 1 ? decodeNumeric(psnBytes, "PAN Sequence Number '5F34'") : undefined;
  for (const e of ctx.config.exceptionFile) {
    if (e.pan === pan && (e.psn === undefined || e.psn === psn)) {
      ctx.tvr.set(TVR.cardOnExceptionFile);
      return;
    }
  }
}

export async function terminalRiskManagement(ctx: TransactionContext): Promise<void> {
  const pan = decodePan(ctx.data.get("5A") as Uint8Array);
  // The exception file is checked whatever the AIP says: it is the terminal's own list.
  checkExceptionFile(ctx, pan);
  if (ctx.params.merchantForcedOnline) ctx.tvr.set(TVR.merchantForcedOnline);
  if (!hasBit(ctx.aip, AIP.terminalRiskManagementRequired)) return;
  checkFloorLimit(ctx, pan);
  randomTransactionSelection(ctx);
  await velocityChecking(ctx);
  ctx.tsi.set(TSI.terminalRiskManagementPerformed);
}
