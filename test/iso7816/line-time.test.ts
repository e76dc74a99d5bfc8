import { createEchoApplet } from "../../host-sim/icc/echo-applet";
import { runContactExchange } from "../../host-sim/icc/exchange";
import { openCard, scriptedApplet, send } from "./helpers";

// The line-time model of the virtual ICC: characters placed by their leading edges (ISO/IEC
// 7816-3:2006, 7.2), 1 etu = 372 / 3.5712 MHz = 104.17 µs during and after a default ATR. The
// expected figures are counted by hand from the timing rules, in etu.

const ETU_US = 372 / 3.5712;

describe("line-time model", () => {
  it("the ATR: TS 10 000 clock cycles after RST, then 3 characters 12 etu apart, each 12 etu long", async () => {
    const { slot } = await openCard({ protocol: 0, applet: createEchoApplet() });
    // (10 000 + 4 x 12 x 372) clock cycles at 3.5712 MHz
    expect(slot.stats().atrUs).toBe(Math.round((10000 + 4 * 12 * 372) / 3.5712));
  });

  it("T=0 case 2: 5 header characters, ACK 16 etu after the last, 16 data bytes and SW at 12 etu: 292 etu", async () => {
    const { slot, card } = await openCard({ protocol: 0, applet: createEchoApplet() });
    await send(card, "00B2010C10");
    // 4 x 12 (header) + 16 (turnaround) + 18 x 12 (data, SW1, SW2 after ACK) + 12 (the last character)
    expect(Math.abs(slot.stats().exchanges[0].us - 292 * ETU_US)).toBeLessThanOrEqual(1);
  });

  it("T=1: an 8-character block, BGT 22 etu, then 6 characters 11 etu apart: 172 etu", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: scriptedApplet(() => "9000") });
    await send(card, "00A40400");
    // 7 x 12 (terminal block) + 22 (BGT) + 5 x 11 + 11 (card block)
    expect(Math.abs(slot.stats().exchanges[0].us - 172 * ETU_US)).toBeLessThanOrEqual(1);
  });

  it("the card's processing time adds to the exchange", async () => {
    const quick = await openCard({ protocol: 0, applet: createEchoApplet() });
    const slow = await openCard({ protocol: 0, applet: createEchoApplet({ processingUs: 50_000 }) });
    await send(quick.card, "00B2010C10");
    await send(slow.card, "00B2010C10");
    const diff = slow.slot.stats().exchanges[0].us - quick.slot.stats().exchanges[0].us;
    expect(Math.abs(diff - 50_000)).toBeLessThan(ETU_US + 1);
  });

  it("each T=0 character repetition adds 14 etu", async () => {
    const clean = await openCard({ protocol: 0, applet: createEchoApplet() });
    const noisy = await openCard({
      protocol: 0, applet: createEchoApplet(), faults: [{ kind: "parity", direction: "to-terminal", apdu: 1, char: 3, times: 2 }],
    });
    await send(clean.card, "00B2010C10");
    await send(noisy.card, "00B2010C10");
    const diff = noisy.slot.stats().exchanges[0].us - clean.slot.stats().exchanges[0].us;
    expect(Math.abs(diff - 28 * ETU_US)).toBeLessThanOrEqual(1);
  });

  it("the kernel's Clock reads the modeled time", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet() });
    await send(card, "00B2010C10");
    expect(Math.abs(slot.clock.nowMs() * 1000 - slot.modeledUs)).toBeLessThanOrEqual(1);
    const before = slot.modeledUs;
    await slot.clock.sleep(5);
    expect(slot.modeledUs - before).toBe(5000);
  });

  it("runContactExchange reports responses, the APDU count and the modeled time per exchange", async () => {
    const r = await runContactExchange({ protocol: 1, apdus: ["00A4040007A0000000031010", "00B2010C10", "80AE80000400000000"] });
    expect(r.apdus).toBe(3);
    expect(r.responses[0]).toBe("9000");
    expect(r.exchanges.map((e) => e.apdu)).toEqual([1, 2, 3]);
    const sum = r.exchanges.reduce((t, e) => t + e.us, 0);
    expect(r.modeledUs).toBeGreaterThan(sum + r.atrUs);
  });
});
