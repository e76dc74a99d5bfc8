import { toHex } from "../../kernel/bytes";
import { reasonCode, standaloneChipOutcome } from "../../kernel/emv/contact-card-transaction";
import type { EmvOutcome } from "../../kernel/emv/transaction";
import { contactlessCvmPerformed } from "../../kernel/transaction/card-reading";
import { magstripeTerminalData } from "../../kernel/transaction/swipe-authorization";

// The rules the firmware's payments, the simulator's `sim run` and the payment state machine share.

const terminal = { currencyCode: Uint8Array.of(0x08, 0x40), countryCode: Uint8Array.of(0x08, 0x40), terminalType: 0x22 };
const params = { amount: 1234, date: { year: 2026, month: 11, day: 25 }, transactionType: 0x00 };

describe("magstripe authorization request terminal data", () => {
  it("EMV Book 3, Annex A: 9F02 n12, 5F2A, 9A YYMMDD, 9C, 9F1A, 9F35, then 9F39 = 90 (ISO 8583 field 22, full track read)", () => {
    expect(toHex(magstripeTerminalData(terminal, params, false))).toBe(
      "9F0206000000001234" + "5F2A020840" + "9A03261125" + "9C0100" + "9F1A020840" + "9F350122" + "9F390190",
    );
  });

  it("ISO 8583 field 22: a swipe standing in for a failed chip is POS entry mode 80", () => {
    expect(toHex(magstripeTerminalData(terminal, params, true)).endsWith("9F390180")).toBe(true);
  });
});

describe("contactless CVM performed", () => {
  it("Book A Outcome Parameter Set CVM: confirmation code verified is CDCVM, obtain signature is signature, N/A is none", () => {
    expect(contactlessCvmPerformed("confirmation-code-verified")).toBe("cdcvm");
    expect(contactlessCvmPerformed("obtain-signature")).toBe("signature");
    expect(contactlessCvmPerformed("online-pin")).toBe("online-pin");
    expect(contactlessCvmPerformed("no-cvm")).toBe("no-cvm");
    expect(contactlessCvmPerformed("n/a")).toBe("none");
  });
});

describe("standalone chip outcome", () => {
  const of = (kind: EmvOutcome["kind"]) => standaloneChipOutcome({ kind } as EmvOutcome);
  it("Book 1, 12.4: no application in common sends the cardholder to the stripe; a blocked card ends the application", () => {
    expect(of("not-accepted")).toBe("fallback-to-magstripe");
    expect(of("card-blocked")).toBe("end-application");
    expect(of("online-approved")).toBe("online-approved");
  });
});

describe("end-application reason code", () => {
  it("is the text before the first colon, or the whole reason", () => {
    expect(reasonCode("card-mute: no ATR")).toBe("card-mute");
    expect(reasonCode("timeout")).toBe("timeout");
    expect(reasonCode(undefined)).toBe("");
  });
});
