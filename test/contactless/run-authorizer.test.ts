import type { AuthorizationRequest, AuthorizationResult, OnlineAuthorizer } from "../../kernel/emv/online";
import type { ProgressEvent, TransactionContext } from "../../kernel/protocol";
import { IssuerHost } from "../../host-sim/issuer";
import { issuerWithWallets, runContactless } from "../../host-sim/picc/run-contactless";
import { authorizationRequest, onlineAnswer } from "../../host-sim/reader/acquirer";
import { SimPaymentEngine } from "../../host-sim/reader/sim-payment-engine";

// The contactless run's online authorizer is an option (EMV Book 3, 10.9: the kernel hands its
// request to whoever answers for the issuer): by default the simulator's issuer host with the phone
// wallets' token accounts, in a phone payment the phone. Its prompts go out as the reader shows them.

const base = { amount: "12.34", date: "250615", time: "120000" };

/** An authorizer that answers `arc` and notes what the reader had shown by the time it asked. */
function recording(arc: string, shown: string[]) {
  const calls: { request: AuthorizationRequest; shownBefore: string[] }[] = [];
  const authorizer: OnlineAuthorizer = {
    async authorize(request): Promise<AuthorizationResult> {
      calls.push({ request, shownBefore: shown.slice() });
      return { kind: "response", arc };
    },
  };
  return { authorizer, calls };
}

describe("contactless run: the online authorizer is the caller's", () => {
  it("a phone wallet's online request goes to the given authorizer, whose ARC decides the outcome", async () => {
    const shown: string[] = [];
    const { authorizer, calls } = recording("05", shown);
    const r = await runContactless({ ...base, cards: ["visa-wallet"], authorizer, onPrompt: (t) => shown.push(t) });
    expect(calls).toHaveLength(1);
    expect(calls[0].request.maskedPan).toMatch(/^489537\*+0013$/);
    expect(r).toMatchObject({ outcome: "online-declined", arc: "05" });
    // Not the issuer host's decision: its envelope is opened by the acquirer's HSM for the report.
    expect(r.p2pe).toMatchObject({ decryptedByHost: true });
  });

  it("each prompt reaches onPrompt as it is shown: those before the online request come before it, and all in the report's order", async () => {
    const shown: string[] = [];
    const { authorizer, calls } = recording("00", shown);
    const r = await runContactless({ ...base, cards: ["mc-wallet"], amount: "150.00", authorizer, onPrompt: (t) => shown.push(t) });
    expect(r.outcome).toBe("online-approved");
    expect(shown).toEqual(r.prompts);
    expect(calls[0].shownBefore.length).toBeGreaterThan(0);
    expect(calls[0].shownBefore).toEqual(r.prompts.slice(0, calls[0].shownBefore.length));
  });

  it("by default the issuer host with the wallets' token accounts answers (an issuer knows its tokens)", async () => {
    const r = await runContactless({ ...base, cards: ["visa-wallet"] });
    expect(r).toMatchObject({ outcome: "online-approved", arc: "00", p2pe: { decryptedByHost: true } });
  });

  it("an IssuerHost given as authorizer: the report reads this transaction's decision, not an older one", async () => {
    const issuer = issuerWithWallets();
    const first = await runContactless({ ...base, cards: ["visa-wallet"], authorizer: issuer });
    expect(first.arc).toBe("00");
    expect(issuer.decisions).toHaveLength(1);
    // Offline approval below the card's limit: no new decision, the HSM opens the envelope.
    const offline = await runContactless({ ...base, cards: ["visa-cda"], amount: "5.00", authorizer: issuer });
    expect(offline.outcome).toBe("approved");
    expect(issuer.decisions).toHaveLength(1);
    expect(offline.p2pe).toMatchObject({ decryptedByHost: true });
  });

  it("an issuer host without the wallets' accounts does not know the token: ARC 14, declined online", async () => {
    const r = await runContactless({ ...base, cards: ["visa-wallet"], authorizer: new IssuerHost() });
    expect(r).toMatchObject({ outcome: "online-declined", arc: "14" });
  });
});

describe("phone payment, contactless: the reader's prompts reach the phone before its online request", () => {
  it("mc-wallet at 150.00: prompt events, then the online request relayed to the phone's host, then the outcome", async () => {
    const issuer = issuerWithWallets();
    const engine = new SimPaymentEngine({
      presentCard: () => ({ card: "mc-wallet", interface: "contactless" }), issuer, model: "MPOS-R1", serial: "MPOSR1SIM0001", firmwareVersion: "0.1.0",
    });
    const events: string[] = [];
    const ctx: TransactionContext = {
      transactionId: 1,
      cancelled: false,
      onCancel: () => undefined,
      emit: (e: ProgressEvent) => events.push(e.kind === "prompt" ? `prompt:${e.prompt}` : e.kind),
      authorise: async (data) => {
        events.push("online-request");
        return onlineAnswer(await issuer.authorize(authorizationRequest(data)));
      },
    };
    const outcome = await engine.runTransaction({ amount: 15000, currency: 840, transactionType: "purchase" }, ctx);
    expect(outcome).toMatchObject({ result: "approved", cardInterface: "contactless" });
    expect(issuer.decisions).toHaveLength(1);
    expect(events.slice(0, 2)).toEqual(["prompt:presentCard", "card-detected"]);
    const online = events.indexOf("online-request");
    expect(online).toBeGreaterThan(2);
    expect(events.slice(2, online).every((e) => e.startsWith("prompt:"))).toBe(true);
    expect(events.slice(2, online).length).toBeGreaterThan(0);
  });
});
