import { fromHex } from "../../kernel/bytes";
import { ApduFormatError, CardMuteError, CardRemovedError, ProtocolError } from "../../kernel/iso7816/errors";
import { createEchoApplet } from "../../host-sim/icc/echo-applet";
import { failure, lineAfterAtr, openCard, scriptedApplet, send } from "./helpers";

// T=0 (ISO/IEC 7816-3:2006, clause 10; transport of APDUs 12.2; EMV Book 1, 9.2.2 and 9.3.1), the
// kernel's engine against the virtual ICC. The line traces are what a protocol analyser between
// reader and card would show: ">" terminal to card, "<" card to terminal.

describe("T=0 transport of the four APDU cases (ISO 7816-3, 12.2; EMV Book 1, 9.3.1)", () => {
  it("case 1: the header goes with P3 = '00' and SW1 SW2 come back", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: scriptedApplet({ "00A40400": "9000" }) });
    expect(await send(card, "00A40400")).toBe("9000");
    expect(lineAfterAtr(slot)).toEqual(["> 00A4040000", "< 9000"]);
  });

  it("case 2: P3 = Le, ACK = INS, the data, then SW1 SW2", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet() });
    expect(await send(card, "00B2010C04")).toBe("000102039000");
    expect(lineAfterAtr(slot)).toEqual(["> 00B2010C04", "< B2000102039000"]);
  });

  it("case 2 with Le '00': '6Cxx' makes the terminal send the header again with P3 = xx", async () => {
    const record = "70124F07A0000000031010500A564953412044454249549000".slice(0, 40) + "9000";
    const applet = scriptedApplet(() => record);
    const { slot, card } = await openCard({ protocol: 0, applet });
    expect(await send(card, "00B2010C00")).toBe(record);
    expect(lineAfterAtr(slot)).toEqual(["> 00B2010C00", "< 6C14", "> 00B2010C14", `< B2${record}`]);
  });

  it("case 3: P3 = Lc, the data after ACK, then SW1 SW2", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: scriptedApplet(() => "9000") });
    expect(await send(card, "0020008008241234FFFFFFFFFF")).toBe("9000");
    expect(lineAfterAtr(slot)).toEqual(["> 0020008008", "< 20", "> 241234FFFFFFFFFF", "< 9000"]);
  });

  it("case 4: sent as case 3, then '61xx' and GET RESPONSE with P3 = xx", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet() });
    expect(await send(card, "00A4040007A000000003101000")).toBe("A00000000310109000");
    expect(lineAfterAtr(slot)).toEqual([
      "> 00A4040007", "< A4", "> A0000000031010", "< 6107", "> 00C0000007", "< C0A00000000310109000",
    ]);
  });

  it("case 4 with a warning: GET RESPONSE Le '00', '6Cxx', again with xx; the data comes with the warning", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet({ sw: 0x6283 }) });
    expect(await send(card, "00A4040002A00000")).toBe("A0006283");
    expect(lineAfterAtr(slot)).toEqual([
      "> 00A4040002", "< A4", "> A000", "< 6283", "> 00C0000000", "< 6C02", "> 00C0000002", "< C0A0009000",
    ]);
  });

  it("case 4 with a warning and 300 bytes: GET RESPONSE Le '00' then '61xx' for the rest", async () => {
    const data = "5A".repeat(300);
    const { card } = await openCard({ protocol: 0, applet: scriptedApplet(() => data + "6310") });
    expect(await send(card, "80AE80000200000000".slice(0, 14) + "00")).toBe(data + "6310");
  });

  it("case 4 with an error status: no GET RESPONSE, the status alone", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: scriptedApplet(() => "6A82") });
    expect(await send(card, "00A4040002A00000")).toBe("6A82");
    expect(lineAfterAtr(slot).length).toBe(4);
  });

  it("'61xx' chains: GET RESPONSE until the card stops saying 61 (300 bytes in two parts)", async () => {
    const data = "AB".repeat(300);
    const { slot, card } = await openCard({ protocol: 0, applet: scriptedApplet(() => data + "9000") });
    expect(await send(card, "80A8000002830000")).toBe(data + "9000");
    const line = lineAfterAtr(slot);
    expect(line).toContain("< 6100");
    expect(line).toContain("> 00C0000000");
    expect(line).toContain("> 00C000002C");
  });
});

describe("T=0 procedure bytes (ISO 7816-3, 10.3.3)", () => {
  it("ACK = INS xor FF moves one data byte at a time, in both directions", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet(), t0AckMode: "each" });
    expect(await send(card, "00A4040002A00000")).toBe("A0009000");
    expect(lineAfterAtr(slot)).toEqual([
      "> 00A4040002", "< 5B", "> A0", "< 5B", "> 00", "< 6102", "> 00C0000002", "< 3FA03F009000",
    ]);
  });

  it("NULL bytes: a storm of 500 '60' before each procedure byte is waited through", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet(), faults: [{ kind: "null-storm", count: 500 }] });
    expect(await send(card, "00A4040002A00000")).toBe("A0009000");
    expect(slot.trace()[2].hex).toBe("60".repeat(500) + "A4");
  });

  it("a card computing for 3 s (longer than WWT) sends NULL bytes and is waited for", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet({ processingUs: 3_000_000 }) });
    expect(await send(card, "00B2010C02")).toBe("00019000");
    expect(lineAfterAtr(slot)[1]).toMatch(/^< (60)+B2/);
    expect(slot.stats().exchanges[0].us).toBeGreaterThan(3_000_000);
  });

  it("a procedure byte that is neither NULL, ACK nor SW1 ends in a protocol error and deactivation", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet(), faults: [{ kind: "bad-procedure", apdu: 1, byte: 0x42 }] });
    const e = await failure(send(card, "00B2010C02"));
    expect(e).toBeInstanceOf(ProtocolError);
    expect(e.code).toBe("protocol");
    expect(slot.active).toBe(false);
    // The session stays ended.
    expect(await failure(send(card, "00B2010C02"))).toBe(e);
  });
});

describe("T=0 waiting time WWT = 960 x D x WI etu, with the EMV tolerance D x 480 (EMV Book 1, 9.2.2)", () => {
  it("a card whose every character comes WWT + 480 etu after the previous one is accepted", async () => {
    const { card } = await openCard({ protocol: 0, applet: createEchoApplet(), faults: [{ kind: "slow", marginEtu: 480 }] });
    expect(await send(card, "00B2010C02")).toBe("00019000");
  });

  it("one etu later the card is mute: card-mute and deactivation", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet(), faults: [{ kind: "slow", marginEtu: 481 }] });
    const e = await failure(send(card, "00B2010C02"));
    expect(e).toBeInstanceOf(CardMuteError);
    expect(e.code).toBe("card-mute");
    expect(slot.active).toBe(false);
  });

  it("WI from TC2 and D from TA1 scale the waiting time (WI 20, D 2: 38 400 + 960 etu)", async () => {
    // TA1 12 (D 2) in specific mode (TA2 00), TB1 00, TC1 00, TD1 50 -> TA2, TC2; TC2 14 (WI 20)
    const atr = "3BF012000050 0014".replace(" ", "");
    const ok = await openCard({ protocol: 0, atr, applet: createEchoApplet(), faults: [{ kind: "slow", marginEtu: 960 }] });
    expect(ok.card.parameters).toMatchObject({ Di: 2, wi: 20 });
    expect(await send(ok.card, "00B2010C01")).toBe("009000");
    const late = await openCard({ protocol: 0, atr, applet: createEchoApplet(), faults: [{ kind: "slow", marginEtu: 961 }] });
    expect(await failure(send(late.card, "00B2010C01"))).toBeInstanceOf(CardMuteError);
  });

  it("a mute card at the second command: card-mute", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet(), faults: [{ kind: "mute", apdu: 2 }] });
    expect(await send(card, "00B2010C01")).toBe("009000");
    expect(await failure(send(card, "00B2010C01"))).toBeInstanceOf(CardMuteError);
    expect(slot.active).toBe(false);
  });
});

describe("T=0 character repetition (ISO 7816-3, 7.3; EMV Book 1, 9.2.3)", () => {
  it("a card character with 3 parity errors in a row is cured by repetition", async () => {
    const { card } = await openCard({
      protocol: 0, applet: createEchoApplet(), faults: [{ kind: "parity", direction: "to-terminal", apdu: 1, char: 2, times: 3 }],
    });
    expect(await send(card, "00B2010C04")).toBe("000102039000");
  });

  it("a fourth parity error on the same character ends in a protocol error", async () => {
    const { slot, card } = await openCard({
      protocol: 0, applet: createEchoApplet(), faults: [{ kind: "parity", direction: "to-terminal", apdu: 1, char: 2, times: 4 }],
    });
    expect(await failure(send(card, "00B2010C04"))).toBeInstanceOf(ProtocolError);
    expect(slot.active).toBe(false);
  });

  it("the terminal repeats its own character up to 3 times when the card signals an error", async () => {
    const fault = { kind: "parity" as const, direction: "to-card" as const, apdu: 1, char: 6, times: 3 };
    const { card } = await openCard({ protocol: 0, applet: createEchoApplet(), faults: [fault] });
    expect(await send(card, "00A4040002A00000")).toBe("A0009000");
    const worse = await openCard({ protocol: 0, applet: createEchoApplet(), faults: [{ ...fault, times: 4 }] });
    expect(await failure(send(worse.card, "00A4040002A00000"))).toBeInstanceOf(ProtocolError);
  });
});

describe("T=0 card removal and bad commands", () => {
  it("the card pulled out in the middle of the response: card-removed", async () => {
    const { card } = await openCard({ protocol: 0, applet: createEchoApplet(), faults: [{ kind: "remove", apdu: 1, afterChars: 8 }] });
    const e = await failure(send(card, "00B2010C10"));
    expect(e).toBeInstanceOf(CardRemovedError);
    expect(e.code).toBe("card-removed");
  });

  it("a malformed command is refused before a byte moves, and the session goes on", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet() });
    expect(await failure(card.transport.transmit(fromHex("0060000000")))).toBeInstanceOf(ApduFormatError);
    expect(await failure(card.transport.transmit(fromHex("00A404")))).toBeInstanceOf(ApduFormatError);
    expect(slot.trace().length).toBe(1);
    expect(await send(card, "00B2010C01")).toBe("009000");
  });
});
