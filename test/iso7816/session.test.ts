import { CardMuteError, CardRemovedError, ProtocolError } from "../../kernel/iso7816/errors";
import { openContactCard } from "../../kernel/iso7816/session";
import { createEchoApplet } from "../../host-sim/icc/echo-applet";
import { createVirtualIcc } from "../../host-sim/icc/virtual-icc";
import { failure, openCard, send } from "./helpers";

// Activation and the answer to reset as EMV Book 1 has the terminal handle them (chapters 6 and 8):
// a cold reset; an ATR that breaks 8.3 is followed by a warm reset; a second bad ATR, a mute card or
// a card too slow in its ATR end in deactivation.

async function open(options: Parameters<typeof createVirtualIcc>[0]) {
  const slot = createVirtualIcc(options);
  return { slot, opening: openContactCard({ slot, clock: slot.clock }) };
}

describe("answer to reset and the warm reset (EMV Book 1, 8.3)", () => {
  it("an accepted cold ATR opens the session with the first offered protocol", async () => {
    const applet = createEchoApplet();
    const { card } = await openCard({ protocol: 1, applet });
    expect(card.reset).toBe("cold");
    expect(card.protocol).toBe(1);
    expect(applet.resets).toEqual(["cold"]);
  });

  it("a cold ATR rejected (TB1 '25', inverse convention card) and an accepted warm ATR: the session runs on it", async () => {
    // 3F 65 25 08 43 04 6C 90 00: CB Visa La Poste (pcsc-tools smartcard_list.txt, line 17514)
    const applet = createEchoApplet();
    const { card } = await openCard({ protocol: 0, atr: "3F65250843046C9000", applet });
    expect(card.reset).toBe("warm");
    expect(card.atr.convention).toBe("inverse");
    expect(card.parameters.N).toBe(8);
    expect(applet.resets).toEqual(["cold", "warm"]);
    expect(await send(card, "00B2010C01")).toBe("009000");
  });

  it("the warm ATR rejected too: the card is deactivated with a protocol error", async () => {
    // Cold: TB1 '25' (8.3.3.2). Warm: T=1 with BWI 5 in TB3 (8.3.3.10).
    const { slot, opening } = await open({ protocol: 1, atr: "3B602500", warmAtr: "3BE000008131FE55FB", applet: createEchoApplet() });
    const e = await failure(opening);
    expect(e).toBeInstanceOf(ProtocolError);
    expect(e.message).toMatch(/cold and the warm reset/);
    expect(e.message).toMatch(/BWI 5/);
    expect(slot.active).toBe(false);
    expect(slot.stats().resets).toBe(2);
  });

  it("TS other than '3B' or '3F' is rejected (EMV Book 1, 8.3.1): warm reset, then deactivation", async () => {
    const { slot, opening } = await open({ protocol: 0, atr: "3C600000", applet: createEchoApplet() });
    expect(await failure(opening)).toBeInstanceOf(ProtocolError);
    expect(slot.stats().resets).toBe(2);
  });

  it("a T=1 ATR without its TCK: the terminal waits for it in vain, the card is mute", async () => {
    const { opening } = await open({ protocol: 1, atr: "3BE0000001", applet: createEchoApplet() });
    expect(await failure(opening)).toBeInstanceOf(CardMuteError);
  });

  it("a parity error in the ATR rejects it", async () => {
    const { slot, opening } = await open({
      protocol: 0, applet: createEchoApplet(), faults: [{ kind: "parity", direction: "to-terminal", apdu: 0, char: 1, times: 1 }],
    });
    // The fault hits the character of each ATR, cold and warm.
    expect(await failure(opening)).toBeInstanceOf(ProtocolError);
    expect(slot.stats().resets).toBe(2);
  });
});

describe("ATR timing (ISO 7816-3, 8.1 and 8.2; EMV Book 1, 8.2)", () => {
  it("TS within 42 000 clock cycles of RST is accepted; later the card is mute, without a warm reset", async () => {
    const ok = await open({ protocol: 0, applet: createEchoApplet(), atrDelayClocks: 42000 });
    expect((await ok.opening).reset).toBe("cold");
    const late = await open({ protocol: 0, applet: createEchoApplet(), atrDelayClocks: 42001 });
    const e = await failure(late.opening);
    expect(e).toBeInstanceOf(CardMuteError);
    expect(late.slot.stats().resets).toBe(1);
    expect(late.slot.active).toBe(false);
  });

  it("a card that never answers the reset is mute", async () => {
    const { opening } = await open({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "mute" }] });
    expect((await failure(opening)).code).toBe("card-mute");
  });

  it("ATR characters 10 080 etu apart are accepted, 10 081 etu apart the card is mute", async () => {
    const ok = await open({ protocol: 0, atr: "3B00", applet: createEchoApplet(), faults: [{ kind: "atr-gap", gapEtu: 10080 }] });
    await ok.opening; // '3B 00' has no TB1: rejected cold, accepted warm
    const late = await open({ protocol: 0, atr: "3B00", applet: createEchoApplet(), faults: [{ kind: "atr-gap", gapEtu: 10081 }] });
    expect(await failure(late.opening)).toBeInstanceOf(CardMuteError);
  });

  it("the whole ATR within 20 160 etu is accepted, a longer one makes the card mute", async () => {
    const ok = await open({ protocol: 0, applet: createEchoApplet(), faults: [{ kind: "atr-gap", gapEtu: 6720 }] });
    expect((await ok.opening).reset).toBe("cold"); // 3 x 6720 = 20 160 etu after TS
    const late = await open({ protocol: 0, applet: createEchoApplet(), faults: [{ kind: "atr-gap", gapEtu: 6721 }] });
    expect((await failure(late.opening)).message).toMatch(/20160 etu/);
  });

  it("no card in the slot: card-removed before any activation", async () => {
    const { slot, opening } = await open({ protocol: 0, applet: createEchoApplet(), present: false });
    expect(await failure(opening)).toBeInstanceOf(CardRemovedError);
    expect(slot.stats().resets).toBe(0);
  });
});

describe("the line after the ATR", () => {
  it("TA1 '13' in specific mode runs the line at D = 4: the same exchange takes a quarter of the etu", async () => {
    // T0 F0: TA1 13, TB1 00, TC1 00, TD1 10 (TA2 follows, T=0), TA2 00 (specific mode, T=0)
    const fast = await openCard({ protocol: 0, atr: "3BF01300001000", applet: createEchoApplet() });
    const slow = await openCard({ protocol: 0, applet: createEchoApplet() });
    expect(fast.card.parameters.Di).toBe(4);
    await send(fast.card, "00B2010C10");
    await send(slow.card, "00B2010C10");
    const a = fast.slot.stats().exchanges[0].us;
    const b = slow.slot.stats().exchanges[0].us;
    expect(Math.abs(a * 4 - b)).toBeLessThan(4);
  });

  it("TC1 N = 20: each character the terminal sends takes 12 + 20 etu", async () => {
    const wide = await openCard({ protocol: 0, atr: "3B60 0014".replace(" ", ""), applet: createEchoApplet() });
    const base = await openCard({ protocol: 0, applet: createEchoApplet() });
    await send(wide.card, "00A40400");
    await send(base.card, "00A40400");
    const etuUs = 372 / 3.5712; // 104.17 µs at the default 3.5712 MHz
    const extra = wide.slot.stats().exchanges[0].us - base.slot.stats().exchanges[0].us;
    // The 5 header characters are 4 gaps of 20 etu wider; the card answers 16 etu after the last
    // leading edge either way.
    expect(Math.abs(extra - 4 * 20 * etuUs)).toBeLessThan(2);
  });

  it("the session counts its APDUs and fails for good once deactivated", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet() });
    await send(card, "00B2010C01");
    await send(card, "00B2010C01");
    expect(card.apduCount).toBe(2);
    await card.deactivate();
    expect(slot.active).toBe(false);
    expect(await failure(send(card, "00B2010C01"))).toBeInstanceOf(ProtocolError);
  });
});
