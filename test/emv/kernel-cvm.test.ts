import { fromHex, toHex } from "../../kernel/bytes";
import type { PinEntryResult } from "../../kernel/emv/cardholder";
import { cardholderVerification, conditionSatisfied } from "../../kernel/emv/cardholder-verification";
import type { TransactionContext, TransactionParams } from "../../kernel/emv/context";
import { parseCvmList } from "../../kernel/emv/cvm-list";
import { CardDataError } from "../../kernel/emv/errors";
import { TSI } from "../../kernel/emv/tsi";
import { TVR } from "../../kernel/emv/tvr";
import type { TerminalConfig } from "../../kernel/emv/terminal-config";
import { contextFor, fakes, testConfig, type Fakes } from "./support/fakes";
import { standardCard } from "./support/standard-card";
import type { TestCard } from "./support/test-card";

// CVM List: Amount X = 100.00 ('00002710'), Amount Y = 500.00 ('0000C350'), then the rules.
const XY = "00002710" + "0000C350";

interface Setup {
  rules: string;
  pins?: (string | PinEntryResult)[];
  params?: Partial<TransactionParams>;
  config?: TerminalConfig;
  card?: { pin?: string; pinTryCounter?: number };
  data?: Record<string, string>;
  aip?: string;
  noEncryptor?: boolean;
}

async function verify(s: Setup): Promise<{ ctx: TransactionContext; f: Fakes; card: TestCard; result: string }> {
  const card = standardCard((o) => {
    o.pin = s.card?.pin ?? "1234";
    o.pinTryCounter = s.card?.pinTryCounter ?? 3;
  });
  const f = fakes(s.pins ?? []);
  const ctx = contextFor(card, f, s.config ?? testConfig(), s.params ?? {});
  if (s.noEncryptor) delete (ctx.deps as { pinEncryptor?: unknown }).pinEncryptor;
  ctx.app = { dfName: fromHex("A0000000031010"), config: ctx.config.applications[0], language: "en" };
  ctx.aip = fromHex(s.aip ?? "5800");
  ctx.data.set("5A", fromHex("4761739001010010"), "card");
  ctx.data.set("9F42", fromHex("0840"), "card");
  for (const [t, v] of Object.entries(s.data ?? {})) ctx.data.set(t, fromHex(v), "card");
  if (s.rules !== "absent") ctx.data.set("8E", fromHex(XY + s.rules), "card");
  const r = await cardholderVerification(ctx);
  return { ctx, f, card, result: r.kind === "aborted" ? r.reason : toHex(ctx.data.get("9F34") as Uint8Array) };
}

describe("Book 3, Annex C3: the CVM List", () => {
  it("decodes Amount X, Amount Y and each rule's method, b7 and condition", () => {
    const list = parseCvmList(fromHex(XY + "4103" + "1E00"));
    expect(list.amountX).toBe(10000);
    expect(list.amountY).toBe(50000);
    expect(list.rules).toEqual([
      { method: 0x01, applyNextIfUnsuccessful: true, condition: 0x03, code: 0x41 },
      { method: 0x1e, applyNextIfUnsuccessful: false, condition: 0x00, code: 0x1e },
    ]);
  });
  it("a list that is not 8 + 2n bytes is card data the terminal cannot accept", () => {
    expect(() => parseCvmList(fromHex("0000"))).toThrow(CardDataError);
    expect(() => parseCvmList(fromHex(XY + "41"))).toThrow(CardDataError);
  });
});

describe("Book 3, 10.5: CVM condition codes (Annex C3, Table 44)", () => {
  const satisfied = async (condition: string, params: Partial<TransactionParams> = {}, config?: TerminalConfig, data: Record<string, string> = {}) => {
    const { ctx } = await verify({ rules: "absent", params, config, data });
    const list = parseCvmList(fromHex(XY + "1F" + condition));
    return conditionSatisfied(ctx, list.rules[0], list);
  };
  const unattended = testConfig((j) => (j.terminalType = "25"));
  it("00 always; 03 if the terminal supports the CVM", async () => {
    expect(await satisfied("00")).toBe(true);
    expect(await satisfied("03")).toBe(true);
    expect(await satisfied("03", {}, testConfig((j) => (j.capabilities = "60F0C8")))).toBe(false);
  });
  it("01 unattended cash, 04 manual cash, 05 purchase with cashback, 02 none of those", async () => {
    expect(await satisfied("01", { transactionType: 0x01 }, unattended)).toBe(true);
    expect(await satisfied("01", { transactionType: 0x01 })).toBe(false);
    expect(await satisfied("04", { transactionType: 0x01 })).toBe(true);
    expect(await satisfied("04", { transactionType: 0x01 }, unattended)).toBe(false);
    expect(await satisfied("05", { transactionType: 0x09, amountOther: 100 })).toBe(true);
    expect(await satisfied("02")).toBe(true);
    expect(await satisfied("02", { transactionType: 0x01 })).toBe(false);
    expect(await satisfied("02", { transactionType: 0x09, amountOther: 100 })).toBe(false);
  });
  it("06-09: in the application currency and under / over X or Y", async () => {
    expect(await satisfied("06", { amount: 9999 })).toBe(true);
    expect(await satisfied("06", { amount: 10000 })).toBe(false);
    expect(await satisfied("07", { amount: 10001 })).toBe(true);
    expect(await satisfied("07", { amount: 10000 })).toBe(false);
    expect(await satisfied("08", { amount: 49999 })).toBe(true);
    expect(await satisfied("09", { amount: 50001 })).toBe(true);
  });
  it("amount conditions are not satisfied in another currency than the Application Currency Code", async () => {
    expect(await satisfied("06", { amount: 1 }, undefined, { "9F42": "0978" })).toBe(false);
  });
  it("an RFU condition (0A) or a payment system's (80) is not understood: the rule is skipped", async () => {
    expect(await satisfied("0A")).toBeUndefined();
    expect(await satisfied("80")).toBeUndefined();
  });
});

describe("Book 3, 10.5: processing the CVM List", () => {
  it("the card not supporting cardholder verification (AIP): no CVM performed ('3F0000'), TSI not set", async () => {
    const { result, ctx } = await verify({ rules: "1F00", aip: "4800" });
    expect(result).toBe("3F0000");
    expect(ctx.tsi.has(TSI.cardholderVerificationPerformed)).toBe(false);
  });

  it("no CVM List: 'ICC data missing', no CVM performed, TSI not set", async () => {
    const { result, ctx } = await verify({ rules: "absent" });
    expect(result).toBe("3F0000");
    expect(ctx.tvr.has(TVR.iccDataMissing)).toBe(true);
    expect(ctx.tsi.has(TSI.cardholderVerificationPerformed)).toBe(false);
  });

  it("skips rules whose condition is not satisfied and performs the first one that is", async () => {
    const { result, ctx } = await verify({ rules: "1E07" + "1F00", params: { amount: 500 } });
    expect(result).toBe("1F0002");
    expect(ctx.cvm).toBe("no-cvm");
    expect(ctx.tsi.has(TSI.cardholderVerificationPerformed)).toBe(true);
  });

  it("signature: result unknown ('00'), a signature line is required", async () => {
    const { result, ctx } = await verify({ rules: "1E00" });
    expect(result).toBe("1E0000");
    expect(ctx.signatureRequired).toBe(true);
  });

  it("an unrecognised CVM sets 'Unrecognised CVM' and fails; b7 then passes on to the next rule", async () => {
    const { result, ctx } = await verify({ rules: "4600" + "1F00" });
    expect(ctx.tvr.has(TVR.unrecognisedCvm)).toBe(true);
    expect(result).toBe("1F0002");
  });

  it("a failed CVM without b7 fails cardholder verification at once, with the rule in CVM Results", async () => {
    const { result, ctx } = await verify({ rules: "0000" + "1F00" });
    expect(result).toBe("000001");
    expect(ctx.tvr.has(TVR.cardholderVerificationNotSuccessful)).toBe(true);
    expect(ctx.cvm).toBe("none");
  });

  it("no rule satisfied: 'Cardholder verification was not successful', CVM Results '3F0001'", async () => {
    const { result, ctx } = await verify({ rules: "1E06", params: { amount: 20000 } });
    expect(result).toBe("3F0001");
    expect(ctx.tvr.has(TVR.cardholderVerificationNotSuccessful)).toBe(true);
  });

  it("a recognised CVM the terminal cannot do fails; for a PIN CVM 'PIN pad not present or not working' is set", async () => {
    const noSignature = testConfig((j) => (j.capabilities = "60D8C8"));
    const sig = await verify({ rules: "5E00" + "1F00", config: noSignature });
    expect(sig.result).toBe("1F0002");
    expect(sig.ctx.tvr.has(TVR.pinPadNotPresentOrNotWorking)).toBe(false);
    const noPinPad = testConfig((j) => (j.pinPadWorking = false));
    const pin = await verify({ rules: "4100" + "1F00", config: noPinPad });
    expect(pin.ctx.tvr.has(TVR.pinPadNotPresentOrNotWorking)).toBe(true);
    expect(pin.result).toBe("1F0002");
  });
});

describe("Book 3, 10.5.1: offline plaintext PIN", () => {
  it("reads the PIN Try Counter, asks for the PIN, VERIFY P2 '80' with an ISO 9564 format 2 block", async () => {
    const { result, card, f, ctx } = await verify({ rules: "0100", pins: ["1234"] });
    expect(result).toBe("010002");
    expect(card.log.some((l) => l.command === "80CA9F1700")).toBe(true);
    expect(card.verifyCalls).toEqual([{ p2: 0x80, data: "241234FFFFFFFFFF" }]);
    expect(f.cardholder.pinRequests).toEqual([{ kind: "offline", triesLeft: 3, lastTry: false }]);
    expect(ctx.cvm).toBe("offline-plaintext-pin");
    expect(ctx.messages).toEqual(["enterPin", "pinOk"]);
  });

  it("a wrong PIN ('63Cx') asks again with x tries left, and warns before the last try", async () => {
    const { result, f, ctx } = await verify({ rules: "0100", pins: ["0000", "1111", "1234"] });
    expect(result).toBe("010002");
    expect(f.cardholder.pinRequests.map((r) => [r.triesLeft, r.lastTry])).toEqual([[3, false], [2, false], [1, true]]);
    expect(ctx.messages).toEqual(["enterPin", "incorrectPin", "enterPin", "incorrectPin", "lastPinTry", "enterPin", "pinOk"]);
  });

  it("the last wrong try ('63C0') sets 'PIN Try Limit exceeded' and the CVM fails", async () => {
    const { result, ctx } = await verify({ rules: "0100", pins: ["0000", "0000", "0000"] });
    expect(result).toBe("010001");
    expect(ctx.tvr.has(TVR.pinTryLimitExceeded)).toBe(true);
    expect(ctx.tvr.has(TVR.cardholderVerificationNotSuccessful)).toBe(true);
  });

  it("a PIN Try Counter of 0: 'PIN Try Limit exceeded' without asking for the PIN; b7 goes on to signature", async () => {
    const { result, f, ctx } = await verify({ rules: "4100" + "1E00", card: { pinTryCounter: 0 } });
    expect(f.cardholder.pinRequests).toHaveLength(0);
    expect(ctx.tvr.has(TVR.pinTryLimitExceeded)).toBe(true);
    expect(result).toBe("1E0000");
  });

  it("PIN bypass: 'PIN entry required, PIN pad present, but PIN was not entered', the CVM fails", async () => {
    const { result, ctx } = await verify({ rules: "4100" + "1E00", pins: [{ kind: "bypassed" }] });
    expect(ctx.tvr.has(TVR.pinNotEntered)).toBe(true);
    expect(result).toBe("1E0000");
  });

  it("the cardholder cancelling, or not answering, ends the transaction", async () => {
    expect((await verify({ rules: "0100", pins: [{ kind: "cancelled" }] })).result).toBe("cancelled");
    expect((await verify({ rules: "0100", pins: [] })).result).toBe("timeout");
  });

  it("plaintext PIN and signature: both, result unknown", async () => {
    const { result, ctx } = await verify({ rules: "0300", pins: ["1234"] });
    expect(result).toBe("030000");
    expect(ctx.signatureRequired).toBe(true);
  });
});

describe("Book 3, 10.5.1 with Book 2, 7: offline enciphered PIN", () => {
  it("recovers the key, asks for the PIN, GET CHALLENGE, then VERIFY P2 '88' with the RSA-enciphered block", async () => {
    const { result, card, ctx } = await verify({ rules: "0400", pins: ["1234"] });
    expect(result).toBe("040002");
    expect(card.log.some((l) => l.command === "0084000000")).toBe(true);
    expect(card.verifyCalls[0].p2).toBe(0x88);
    expect(card.verifyCalls[0].data.length).toBe(256); // the 128-byte modulus of the fake key
    expect(ctx.cvm).toBe("offline-enciphered-pin");
  });

  it("a key that cannot be recovered fails the CVM without asking for a PIN", async () => {
    const card = standardCard((o) => (o.pin = "1234"));
    const f = fakes(["1234"]);
    f.oda.pinKey = { ok: false };
    const ctx = contextFor(card, f);
    ctx.aip = fromHex("5800");
    ctx.data.set("5A", fromHex("4761739001010010"), "card");
    ctx.data.set("8E", fromHex(XY + "4400" + "1E00"), "card");
    await cardholderVerification(ctx);
    expect(f.cardholder.pinRequests).toHaveLength(0);
    expect(toHex(ctx.data.get("9F34") as Uint8Array)).toBe("1E0000");
  });
});

describe("Book 3, 10.5.2: online PIN", () => {
  it("enciphers the PIN under the DUKPT PIN key with the PAN, sets 'Online PIN entered', result unknown", async () => {
    const { result, ctx, f } = await verify({ rules: "0200", pins: ["1234"] });
    expect(result).toBe("020000");
    expect(f.pinEncryptor.pins).toEqual(["1234/4761739001010010"]);
    expect(ctx.tvr.has(TVR.onlinePinEntered)).toBe(true);
    expect(toHex(ctx.pinBlock!.ksn)).toBe("FFFF00000000000000000002");
    expect(ctx.cvm).toBe("online-pin");
  });

  it("a reader without a PIN key cannot do online PIN: with condition 03 the rule is skipped", async () => {
    const { result } = await verify({ rules: "4203" + "1E03", noEncryptor: true });
    expect(result).toBe("1E0300");
  });
});
