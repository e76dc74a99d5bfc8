import type { RandomSource } from "../../hal/random";
import { constantTimeEqual } from "../bytes";
import { MposError } from "../errors";
import { Secret } from "../security/secret";
import type { BondStore } from "./bonds";
import { verifyConfiguration, type TrustedKey } from "./configuration";
import { SUPPORTED_VERSIONS } from "./message";
import type { OnlineResponse, RequestBodies, RequestType, ResponseBodies, StartTransaction } from "./message-types";
import {
  ATTEMPTS_PER_CODE, authenticationProof, CODES_PER_CONNECTION, deriveBondKey, generatePairingCode, pairingProof,
} from "./pairing";
import type { PaymentEngine } from "./payment-engine";
import type { ReaderSession } from "./reader-session";
import type { SessionCrypto } from "./session-crypto";
import type { StatusName } from "./status";
import { firmwareHandlers } from "./firmware-handlers";
import type { FirmwareUpdateConnection } from "./firmware-messages";

// What the reader does with each request (docs/protocol.md, "Messages"), as a table: whether the
// request needs an authenticated phone, and its handler. A handler answers with a status (and a body
// when ok); a business refusal is a status, never an exception. A typed error (MposError) from the
// payment engine or the kernel becomes a status by its code (statusOfError), and the request has had
// no effect on the protocol. Any other exception is a bug: it leaves handleRequest, and the
// connection reports it (reader-connection.ts: onInternalError, alert internal-error, disconnect).

export interface PairingState {
  pending: { phoneId: Uint8Array; phoneName: string; code: string; attemptsLeft: number } | null;
  codesIssued: number;
  authenticationFailures: number;
}

/** What a handler may use: the engine, this connection's session, and the service's shared state. */
export interface HandlerContext {
  readonly engine: PaymentEngine;
  readonly crypto: SessionCrypto;
  readonly random: RandomSource;
  readonly bonds: BondStore;
  readonly trustedConfigurationKeys: readonly TrustedKey[];
  readonly sha1: (data: Uint8Array) => Uint8Array;
  readonly session: ReaderSession;
  readonly pairing: PairingState;
  pairingLocked(): boolean;
  lockPairing(): void;
  showPairingCode(code: string | null): void;
  transactionActive(): boolean;
  /**
   * Registers a transaction for this connection under the next transaction id (stored first where
   * the engine keeps a log: payment-engine.ts, nextTransactionId); it starts once the response went out.
   */
  startTransaction(request: StartTransaction): Promise<{ transactionId: number; run: () => void }>;
  cancelTransaction(): boolean;
  deliverOnlineResponse(response: OnlineResponse): boolean;
  /** The reader's firmware update, when this build has one (firmware-messages.ts). */
  readonly firmwareUpdate?: FirmwareUpdateConnection;
}

export interface HandlerResult<K extends RequestType> {
  status: StatusName;
  body?: ResponseBodies[K];
  attemptsLeft?: number;
  /** Runs after the response is sent (a transaction starts, the reader reboots). */
  after?: () => void;
}

type Handler<K extends RequestType> = (ctx: HandlerContext, body: RequestBodies[K]) => Promise<HandlerResult<K>>;

/** Authentication failures one connection may have before it is refused for good. */
export const MAX_AUTHENTICATION_FAILURES = 3;

const ok = <K extends RequestType>(body?: ResponseBodies[K]): HandlerResult<K> => ({ status: "ok", body });

/** The status for an exception from the engine or the kernel (never its message). */
export function statusOfError(e: unknown): StatusName {
  const code = e instanceof MposError ? e.code : "";
  switch (code) {
    case "tampered": return "tampered";
    case "no-key": case "dukpt-exhausted": case "keystore-corrupt": return "keysMissing";
    case "config-signature": return "badSignature";
    case "config-malformed": return "malformed";
    case "config-checksum": return "invalidParameter";
    case "time-not-set": return "timeNotSet";
    default: return "internalError";
  }
}

/** EMV Book 4, 6.3: amounts and currency a transaction may start with. */
function checkTransaction(r: StartTransaction): boolean {
  if (r.amount < 1) return false;
  if (r.currency < 1 || r.currency > 999) return false;
  if (r.currencyExponent !== undefined && r.currencyExponent > 3) return false;
  if (r.interfaces !== undefined && r.interfaces.length === 0) return false;
  // Amount, Authorised includes Amount, Other (EMV Book 3, Annex A, 9F02 / 9F03).
  if (r.transactionType === "cashback") return r.otherAmount !== undefined && r.otherAmount >= 1 && r.otherAmount <= r.amount;
  return r.otherAmount === undefined || r.otherAmount === 0;
}

const handlers: { [K in RequestType]: { authenticated: boolean; handle: Handler<K> } } = {
  "get-info": {
    authenticated: true,
    handle: async (ctx) => {
      const info = await ctx.engine.deviceInfo();
      return ok({ ...info, protocolVersions: Uint8Array.from(SUPPORTED_VERSIONS) });
    },
  },
  "get-status": {
    authenticated: true,
    handle: async (ctx) => ok({ ...(await ctx.engine.status()), transactionActive: ctx.transactionActive() }),
  },
  "start-transaction": {
    authenticated: true,
    handle: async (ctx, body) => {
      if (!checkTransaction(body)) return { status: "invalidParameter" };
      if (ctx.transactionActive()) return { status: "busy" };
      // Issue 13, item 4: no transaction while a firmware update holds the reader.
      if (ctx.firmwareUpdate?.endpoint.active === true) return { status: "busy" };
      const { transactionId, run } = await ctx.startTransaction(body);
      return { status: "ok", body: { transactionId }, after: run };
    },
  },
  "cancel": {
    authenticated: true,
    handle: async (ctx) => (ctx.cancelTransaction() ? ok() : { status: "noTransaction" }),
  },
  "online-response": {
    authenticated: true,
    handle: async (ctx, body) => {
      if (body.result === "answered" && body.arc === undefined) return { status: "invalidParameter" };
      return ctx.deliverOnlineResponse(body) ? ok() : { status: "noTransaction" };
    },
  },
  "get-reversals": {
    authenticated: true,
    handle: async (ctx, body) => ok(await ctx.engine.reversals(body.maxRecords ?? 8)),
  },
  "clear-reversals": {
    authenticated: true,
    handle: async (ctx, body) => ok({ cleared: await ctx.engine.clearReversals(body.transactionId) }),
  },
  "get-outcomes": {
    authenticated: true,
    handle: async (ctx, body) => ok(ctx.engine.outcomes ? await ctx.engine.outcomes(body.maxRecords ?? 8) : { records: [], more: false }),
  },
  "clear-outcomes": {
    authenticated: true,
    handle: async (ctx, body) => ok({ cleared: ctx.engine.clearOutcomes ? await ctx.engine.clearOutcomes(body.transactionId) : 0 }),
  },
  "set-time": {
    authenticated: true,
    handle: async (ctx, body) => {
      await ctx.engine.setTime(body.epochSeconds);
      return ok();
    },
  },
  "configure": {
    authenticated: true,
    handle: async (ctx, body) => {
      if (ctx.transactionActive()) return { status: "busy" };
      const config = verifyConfiguration(ctx.crypto, body, ctx.trustedConfigurationKeys, ctx.sha1);
      if (config.version <= (await ctx.engine.configurationVersion())) return { status: "staleConfiguration" };
      await ctx.engine.configure(config);
      return ok({ configurationVersion: config.version });
    },
  },
  "reboot": {
    authenticated: true,
    handle: async (ctx) => {
      if (ctx.transactionActive()) return { status: "busy" };
      return { status: "ok", after: () => { ctx.engine.reboot().catch(() => undefined); } };
    },
  },
  "authenticate": {
    authenticated: false,
    handle: async (ctx, body) => {
      if (ctx.pairing.authenticationFailures >= MAX_AUTHENTICATION_FAILURES) return { status: "pairingLocked" };
      const keys = ctx.session.sessionKeys;
      const bond = await ctx.bonds.find(body.phoneId);
      if (keys === null) return { status: "sessionRequired" };
      if (bond === undefined) return { status: "notPaired" };
      const expected = bond.key.use((k) => authenticationProof(ctx.crypto, k, keys, body.phoneId));
      if (!constantTimeEqual(expected, body.proof)) {
        ctx.pairing.authenticationFailures++;
        return { status: "pairingFailed" };
      }
      ctx.session.authenticate(body.phoneId);
      return ok();
    },
  },
  "pair-begin": {
    authenticated: false,
    handle: async (ctx, body) => {
      if (ctx.pairingLocked()) return { status: "pairingLocked" };
      if (ctx.pairing.codesIssued >= CODES_PER_CONNECTION) {
        ctx.lockPairing();
        return { status: "pairingLocked" };
      }
      const code = generatePairingCode(ctx.random);
      ctx.pairing.pending = { phoneId: body.phoneId.slice(), phoneName: body.phoneName, code, attemptsLeft: ATTEMPTS_PER_CODE };
      ctx.pairing.codesIssued++;
      ctx.showPairingCode(code);
      return ok({ attemptsLeft: ATTEMPTS_PER_CODE });
    },
  },
  "pair-confirm": {
    authenticated: false,
    handle: async (ctx, body) => {
      const p = ctx.pairing.pending;
      const keys = ctx.session.sessionKeys;
      if (p === null || keys === null || ctx.pairingLocked()) return { status: ctx.pairingLocked() ? "pairingLocked" : "pairingFailed", attemptsLeft: 0 };
      const expected = pairingProof(ctx.crypto, keys, p.phoneId, p.code);
      if (!constantTimeEqual(expected, body.proof)) {
        p.attemptsLeft--;
        if (p.attemptsLeft === 0) {
          ctx.pairing.pending = null;
          ctx.showPairingCode(null);
          if (ctx.pairing.codesIssued >= CODES_PER_CONNECTION) ctx.lockPairing();
        }
        return { status: "pairingFailed", attemptsLeft: p.attemptsLeft };
      }
      const key = deriveBondKey(ctx.crypto, keys, p.phoneId, p.code);
      await ctx.bonds.save({ phoneId: p.phoneId, phoneName: p.phoneName, key: Secret.adopt(key) });
      ctx.session.authenticate(p.phoneId);
      ctx.pairing.pending = null;
      ctx.showPairingCode(null);
      return ok();
    },
  },
  "unpair": {
    authenticated: true,
    handle: async (ctx) => {
      const phone = ctx.session.authenticatedPhone;
      if (phone !== null) await ctx.bonds.remove(phone);
      ctx.session.deauthenticate();
      return ok();
    },
  },
  ...firmwareHandlers,
};

/**
 * Runs the handler of one decoded request. A typed error ends in its status; it throws only on a
 * bug (an exception that is not an MposError), which the caller must report, not answer.
 */
export async function handleRequest<K extends RequestType>(ctx: HandlerContext, type: K, body: RequestBodies[K]): Promise<HandlerResult<K>> {
  const entry = handlers[type] as { authenticated: boolean; handle: Handler<K> };
  if (entry.authenticated && ctx.session.authenticatedPhone === null) return { status: "notAuthenticated" };
  try {
    return await entry.handle(ctx, body);
  } catch (e) {
    if (!(e instanceof MposError)) throw e;
    return { status: statusOfError(e) };
  }
}
