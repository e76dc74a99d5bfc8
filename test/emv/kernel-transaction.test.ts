import { toHex } from "../../kernel/bytes";
import { CardRemovedError } from "../../kernel/iso7816/errors";
import { performTransaction } from "../../kernel/emv/transaction";
import { depsOf, fakes, TEST_PARAMS, testConfig } from "./support/fakes";
import { standardCard, standardCardOptions } from "./support/standard-card";
import { TestCard } from "./support/test-card";

describe("a whole transaction (Book 3, section 10, phase by phase)", () => {
  it("online PIN, ARQC, issuer approves: online-approved with a TC from the second GENERATE AC", async () => {
    const card = standardCard();
    const f = fakes(["1234"]);
    const out = await performTransaction(testConfig(), TEST_PARAMS, depsOf(card, f));
    expect(out.reason).toBeUndefined();
    expect(out.kind).toBe("online-approved");
    expect(out.cvm).toBe("online-pin");
    expect(out.arc).toBe("00");
    expect(out.maskedPan).toBe("476173******0010");
    // TVR: SDA selected; online PIN entered; floor limit exceeded.
    expect(toHex(out.tvr)).toBe("0200048000");
    // TSI: ODA, cardholder verification, card risk management, terminal risk management.
    expect(toHex(out.tsi)).toBe("E800");
    expect(toHex(out.cvmResults!)).toBe("420300");
    expect(out.messages).toEqual(["enterPin", "pleaseWait", "approved"]);
    expect(f.pinEncryptor.pins).toEqual(["1234/4761739001010010"]);
  });

  it("sends the issuer only non-sensitive data in clear; PAN, track 2 equivalent, name and expiry go in the P2PE envelope", async () => {
    const f = fakes(["1234"]);
    await performTransaction(testConfig(), TEST_PARAMS, depsOf(standardCard(), f));
    const request = f.issuer.requests[0];
    const clear = toHex(request.iccData);
    expect(clear).not.toContain("4761739001010010");
    expect(clear).toContain("9F2608"); // the ARQC
    expect(clear).toContain("9F2701" + "80");
    expect(f.protector.calls[0].map((i) => i.tag).sort()).toEqual(["57", "5A", "5F20", "5F24"]);
    expect(request.maskedPan).toBe("476173******0010");
    expect(request.pin?.format).toBe(4);
  });

  it("the cardholder cancelling at the PIN pad ends the transaction as cancelled, before any cryptogram", async () => {
    const card = standardCard();
    const out = await performTransaction(testConfig(), TEST_PARAMS, depsOf(card, fakes([{ kind: "cancelled" }])));
    expect(out.kind).toBe("cancelled");
    expect(card.generateAcCalls).toHaveLength(0);
  });

  it("no application in common: not-accepted, with NOT ACCEPTED shown", async () => {
    const card = standardCard((o) => (o.apps = [{ aid: "A0000000651010", label: "JCB" }]));
    const out = await performTransaction(testConfig(), TEST_PARAMS, depsOf(card, fakes()));
    expect(out.kind).toBe("not-accepted");
    expect(out.messages).toEqual(["notAccepted"]);
  });

  it("a blocked card ('6A81' to SELECT): card-blocked", async () => {
    const card = standardCard((o) => {
      o.pse = [];
      o.pseSelectSw = "6A81";
    });
    expect((await performTransaction(testConfig(), TEST_PARAMS, depsOf(card, fakes()))).kind).toBe("card-blocked");
  });

  it("a card pulled out mid-transaction: end-application with the line's error code, CARD ERROR not shown", async () => {
    const card = new TestCard(standardCardOptions());
    let n = 0;
    const transport = {
      transmit: async (c: Uint8Array) => {
        if (++n === 6) throw new CardRemovedError();
        return card.transmit(c);
      },
    };
    const out = await performTransaction(testConfig(), TEST_PARAMS, depsOf(transport, fakes(["1234"])));
    expect(out.kind).toBe("end-application");
    expect(out.reason).toBe("card-removed: card removed");
    expect(out.messages).toEqual(["processingError"]);
  });

  it("a card error ends the transaction with CARD ERROR and a reason that holds no card data", async () => {
    const card = standardCard((o) => (o.records["1/1"] = "70035A01FF"));
    const out = await performTransaction(testConfig(), TEST_PARAMS, depsOf(card, fakes(["1234"])));
    expect(out.kind).toBe("end-application");
    expect(out.messages).toEqual(["cardError"]);
    expect(out.reason).not.toMatch(/4761/);
  });
});
