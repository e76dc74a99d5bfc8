import { CardMuteError, CardRemovedError, ProtocolError } from "../../kernel/iso7816/errors";
import { createEchoApplet } from "../../host-sim/icc/echo-applet";
import { failure, lineAfterAtr, openCard, scriptedApplet, send } from "./helpers";

// T=1 (ISO/IEC 7816-3:2006, clause 11; EMV Book 1, 9.2.4 and 9.2.5), the kernel's engine against
// the virtual ICC. Blocks on the line are NAD PCB LEN INF LRC; the expected blocks below are
// written out by hand from the PCB codings of 11.3.2, with the LRC computed here.

/** A block with NAD '00' and its LRC (the XOR of all bytes, 11.4.4), as hex. */
function block(pcb: number, infHex = ""): string {
  const inf = infHex.match(/../g)?.map((h) => parseInt(h, 16)) ?? [];
  const bytes = [0x00, pcb, inf.length, ...inf];
  const lrc = bytes.reduce((x, y) => x ^ y, 0);
  return [...bytes, lrc].map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join("");
}

function atrWith(ta3: string, tb3 = "45", tc1 = "00"): string {
  const b = ["E0", "00", tc1, "81", "31", ta3, tb3].map((h) => parseInt(h, 16));
  const tck = b.reduce((x, y) => x ^ y, 0);
  return "3B" + [...b, tck].map((x) => x.toString(16).toUpperCase().padStart(2, "0")).join("");
}

const IFS_REQUEST = block(0xc1, "FE");
const IFS_RESPONSE = block(0xe1, "FE");

describe("T=1 error-free operation (ISO 7816-3, 11.6.2)", () => {
  it("the first block after the ATR is S(IFS request) with IFSD 254 (EMV Book 1, 9.2.4)", async () => {
    const { slot } = await openCard({ protocol: 1, applet: createEchoApplet() });
    expect(IFS_REQUEST).toBe("00C101FE3E");
    expect(lineAfterAtr(slot)).toEqual([`> ${IFS_REQUEST}`, `< ${IFS_RESPONSE}`]);
  });

  it("I-blocks carry the APDUs, N(S) alternating on both sides", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet() });
    expect(await send(card, "00B2010C02")).toBe("00019000");
    expect(await send(card, "00B2010C01")).toBe("009000");
    expect(lineAfterAtr(slot, 3)).toEqual([
      `> ${block(0x00, "00B2010C02")}`, `< ${block(0x00, "00019000")}`,
      `> ${block(0x40, "00B2010C01")}`, `< ${block(0x40, "009000")}`,
    ]);
  });

  it("chaining from the terminal: I-blocks of IFSC bytes with M set, each acknowledged by R(N(R))", async () => {
    const data = "11".repeat(34);
    const apdu = "80AE800022" + data + "00"; // 40 bytes: 16 + 16 + 8 with IFSC 16
    const { slot, card } = await openCard({ protocol: 1, atr: atrWith("10"), applet: createEchoApplet() });
    expect(await send(card, apdu)).toBe(data + "9000");
    expect(lineAfterAtr(slot, 3)).toEqual([
      `> ${block(0x20, apdu.slice(0, 32))}`, `< ${block(0x90)}`,
      `> ${block(0x60, apdu.slice(32, 64))}`, `< ${block(0x80)}`,
      `> ${block(0x00, apdu.slice(64))}`, `< ${block(0x00, data + "9000")}`,
    ]);
  });

  it("chaining from the card: a response longer than IFSD comes in blocks the terminal acknowledges", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet() });
    const response = await send(card, "00B2010C00");
    expect(response.length).toBe(2 * 258);
    const line = lineAfterAtr(slot, 3);
    expect(line[1].startsWith("< 0020FE")).toBe(true); // I(0) with M, 254 bytes
    expect(line[2]).toBe(`> ${block(0x90)}`); // R(1)
    expect(line[3]).toBe(`< ${block(0x40, response.slice(2 * 254))}`); // I(1), the last 4 bytes
  });

  it("S(WTX request): the terminal answers with the same multiplier and waits BWT x WTX", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet({ processingUs: 3_000_000 }) });
    expect(await send(card, "00B2010C01")).toBe("009000");
    const line = lineAfterAtr(slot, 3);
    expect(line.slice(1, 3)).toEqual([`< ${block(0xc3, "02")}`, `> ${block(0xe3, "02")}`]);
    expect(slot.stats().exchanges[0].us).toBeGreaterThan(3_000_000);
  });

  it("a WTX storm: 50 S(WTX request) in a row are each answered", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "wtx-storm", count: 50, multiplier: 3 }] });
    expect(await send(card, "00B2010C01")).toBe("009000");
    expect(lineAfterAtr(slot, 3).filter((l) => l === `> ${block(0xe3, "03")}`).length).toBe(50);
  });

  it("S(IFS request) from the card: the terminal answers it and chains by the new IFSC", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "ifs-request", apdu: 1, ifsc: 0x10 }] });
    expect(await send(card, "00B2010C01")).toBe("009000");
    const apdu = "80AE800014" + "22".repeat(20) + "00"; // 26 bytes: 16 + 10
    expect(await send(card, apdu)).toBe("22".repeat(20) + "9000");
    const line = lineAfterAtr(slot, 3);
    expect(line.slice(1, 3)).toEqual([`< ${block(0xc1, "10")}`, `> ${block(0xe1, "10")}`]);
    expect(line[4]).toBe(`> ${block(0x60, apdu.slice(0, 32))}`);
  });
});

describe("T=1 error handling (ISO 7816-3, 11.6.3; EMV Book 1, 9.2.5)", () => {
  it("an LRC error in the card's block: R-block with the EDC error bit, and the block again", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "edc", apdu: 1, times: 1 }] });
    expect(await send(card, "00B2010C01")).toBe("009000");
    const line = lineAfterAtr(slot, 3);
    expect(line[2]).toBe(`> ${block(0x81)}`); // R(0), EDC error
    expect(line[3]).toBe(`< ${block(0x00, "009000")}`);
  });

  it("two LRC errors in a row are still recovered by retransmission", async () => {
    const { card } = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "edc", apdu: 1, times: 2 }] });
    expect(await send(card, "00B2010C01")).toBe("009000");
  });

  it("R-block after an EDC error, then RESYNCH after the third, then the command again", async () => {
    const applet = scriptedApplet(() => "9000");
    const { slot, card } = await openCard({ protocol: 1, applet, faults: [{ kind: "edc", apdu: 1, times: 3 }] });
    expect(await send(card, "00A40400")).toBe("9000");
    const line = lineAfterAtr(slot, 3);
    expect(line.filter((l) => l === `> ${block(0x81)}`).length).toBe(2);
    const resynch = line.indexOf(`> ${block(0xc0)}`);
    expect(resynch).toBeGreaterThan(0);
    expect(line.slice(resynch, resynch + 4)).toEqual([`> ${block(0xc0)}`, `< ${block(0xe0)}`, `> ${IFS_REQUEST}`, `< ${IFS_RESPONSE}`]);
    expect(line[resynch + 4]).toBe(`> ${block(0x00, "00A40400")}`); // N(S) back to 0
    expect(applet.seen).toEqual(["00A40400", "00A40400"]);
    expect(await send(card, "00A40400")).toBe("9000");
  });

  it("no valid block even after three RESYNCH requests: deactivation and a protocol error", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "edc", apdu: 1, block: "all", times: 1000 }] });
    const e = await failure(send(card, "00B2010C01"));
    expect(e).toBeInstanceOf(ProtocolError);
    expect(e.message).toMatch(/RESYNCH/);
    expect(lineAfterAtr(slot, 3).filter((l) => l === `> ${block(0xc0)}`).length).toBe(3);
    expect(slot.active).toBe(false);
  });

  it("T=1 has no character repetition: a parity error makes the block invalid and it is sent again", async () => {
    const { slot, card } = await openCard({
      protocol: 1, applet: createEchoApplet(), faults: [{ kind: "parity", direction: "to-terminal", apdu: 1, char: 4, times: 1 }],
    });
    expect(await send(card, "00B2010C01")).toBe("009000");
    expect(lineAfterAtr(slot, 3)[2]).toBe(`> ${block(0x81)}`);
  });

  it("the card cannot read the terminal's block: it asks with an R-block and gets the I-block again", async () => {
    const { slot, card } = await openCard({
      protocol: 1, applet: createEchoApplet(), faults: [{ kind: "parity", direction: "to-card", apdu: 1, char: 5, times: 1 }],
    });
    expect(await send(card, "00B2010C01")).toBe("009000");
    const line = lineAfterAtr(slot, 3);
    expect(line.slice(0, 3)).toEqual([`> ${block(0x00, "00B2010C01")}`, `< ${block(0x81)}`, `> ${block(0x00, "00B2010C01")}`]);
  });
});

describe("T=1 waiting times (ISO 7816-3, 11.4.3; EMV Book 1, 9.2.4)", () => {
  it("a block starting at BWT + 960 etu is accepted; one etu later the card is mute", async () => {
    const ok = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "slow", apdu: 1, marginEtu: 960, what: "block" }] });
    expect(await send(ok.card, "00B2010C01")).toBe("009000");
    const late = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "slow", apdu: 1, marginEtu: 961, what: "block" }] });
    const e = await failure(send(late.card, "00B2010C01"));
    expect(e).toBeInstanceOf(CardMuteError);
    expect(late.slot.active).toBe(false);
  });

  it("characters CWT + 4 etu apart are accepted; later ones make every block invalid until deactivation", async () => {
    const ok = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "slow", apdu: 1, marginEtu: 4, what: "char" }] });
    expect(await send(ok.card, "00B2010C01")).toBe("009000");
    const late = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "slow", apdu: 1, marginEtu: 5, what: "char" }] });
    expect(await failure(send(late.card, "00B2010C01"))).toBeInstanceOf(ProtocolError);
  });

  it("a mute card: no block within BWT, card-mute", async () => {
    const { slot, card } = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "mute", apdu: 1 }] });
    expect(await failure(send(card, "00B2010C01"))).toBeInstanceOf(CardMuteError);
    expect(slot.active).toBe(false);
  });

  it("the card pulled out in the middle of a block: card-removed", async () => {
    const { card } = await openCard({ protocol: 1, applet: createEchoApplet(), faults: [{ kind: "remove", apdu: 1, afterChars: 12 }] });
    expect(await failure(send(card, "00B2010C10"))).toBeInstanceOf(CardRemovedError);
  });
});
