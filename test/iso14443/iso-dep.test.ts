import { createPcd, IsoDepSession, RfProtocolError, RfTimeoutError, type ContactlessTransport } from "../../kernel/iso14443";
import type { NfcController, RfReception, TransceiveOptions } from "../../hal/nfc-controller";
import { echoApplet, field, hex, LossyController, picc, toHex } from "./support";

async function activate(options: Parameters<typeof picc>[0], wrap?: (c: NfcController) => NfcController) {
  const applet = (options.applet as ReturnType<typeof echoApplet> | undefined) ?? echoApplet();
  const p = picc({ ...options, applet });
  const { clock, field: f } = field([p]);
  const controller = wrap ? wrap(f) : f;
  const pcd = createPcd({ controller, clock });
  const r = await pcd.poll(1000);
  if (r.kind !== "activated") throw new Error(`not activated: ${r.kind}`);
  return { transport: r.transport as ContactlessTransport & IsoDepSession, applet, clock, field: f, controller, pcd, picc: p };
}

const apdu = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);

describe("ISO/IEC 14443-4 block protocol (PCD rules, 7.5.4)", () => {
  it("exchanges an APDU in one I-block each way", async () => {
    const t = await activate({ identifier: hex("01020304") });
    const r = await t.transport.transmit(hex("00A404000E325041592E5359532E444446303100"));
    expect(toHex(r)).toBe("000102039000");
    expect(t.transport.counters).toMatchObject({ blocksSent: 1, blocksReceived: 1, retransmissions: 0 });
  });

  it("PCD chaining: a command longer than FSC goes out in chained I-blocks, each acknowledged by R(ACK)", async () => {
    const applet = echoApplet(2);
    const t = await activate({ identifier: hex("01020304"), fsci: 0, applet }); // FSC 16: 13 INF bytes a block
    const command = apdu(40);
    await t.transport.transmit(command);
    expect(toHex(applet.commands[0])).toBe(toHex(command));
    expect(t.transport.counters.blocksSent).toBe(Math.ceil(40 / 13));
  });

  it("PICC chaining: a response longer than FSD comes back in chained I-blocks the PCD acknowledges", async () => {
    const t = await activate({ identifier: hex("01020304"), applet: echoApplet(600) });
    const r = await t.transport.transmit(apdu(5));
    expect(r.length).toBe(602);
    expect(r[599]).toBe(599 & 0xff);
    expect(toHex(r.subarray(600))).toBe("9000");
    expect(t.transport.counters.blocksReceived).toBe(3); // 253 + 253 + 96
  });

  it("7.3: a PICC that needs longer than its FWT asks for S(WTX); the PCD confirms and waits FWT x WTXM", async () => {
    const t = await activate({ identifier: hex("01020304"), fwi: 4, applet: echoApplet(4, 40000) }); // 40 ms, FWT 4.8 ms
    const r = await t.transport.transmit(apdu(5));
    expect(toHex(r)).toBe("000102039000");
    expect(t.transport.counters.wtxRequests).toBeGreaterThan(0);
  });

  it("a slow card answering just inside FWT + deltaFWT needs no WTX and is not retried", async () => {
    const t = await activate({ identifier: hex("01020304"), fwi: 4, wtx: false, applet: echoApplet(4, 4700) });
    const before = t.clock.nowMs();
    expect(toHex(await t.transport.transmit(apdu(5)))).toBe("000102039000");
    expect(t.transport.counters.retransmissions).toBe(0);
    expect(t.clock.nowMs() - before).toBeGreaterThan(4.7);
  });

  it("Rule 4 then the PICC's Rule 11: a lost answer is asked for with R(NAK) and sent again", async () => {
    let lossy!: LossyController;
    const t = await activate({ identifier: hex("01020304") }, (c) => (lossy = new LossyController(c)));
    lossy.drop(1);
    expect(toHex(await t.transport.transmit(apdu(5)))).toBe("000102039000");
    expect(t.applet.commands.length).toBe(1); // the APDU ran once
    expect(t.transport.counters.retransmissions).toBe(1);
  });

  it("Rule 5: a lost chained block from the PICC is asked for with R(ACK)", async () => {
    let lossy!: LossyController;
    const applet = echoApplet(600);
    const t = await activate({ identifier: hex("01020304"), applet }, (c) => (lossy = new LossyController(c)));
    lossy.drop(2); // the second part of the chained response
    const r = await t.transport.transmit(apdu(5));
    expect(r.length).toBe(602);
    expect(applet.commands.length).toBe(1);
  });

  it("a card too slow for FWT, without WTX, is retried twice and then a timeout error", async () => {
    const t = await activate({ identifier: hex("01020304"), fwi: 2, wtx: false, applet: echoApplet(4, 500000) });
    await expect(t.transport.transmit(apdu(5))).rejects.toBeInstanceOf(RfTimeoutError);
  });

  it("a PICC that sends R(NAK) breaks the protocol", async () => {
    const p = picc({ identifier: hex("01020304") });
    const { clock, field: f } = field([p]);
    const nak: NfcController = {
      capabilities: f.capabilities, fieldOn: () => f.fieldOn(), fieldOff: () => f.fieldOff(), configure: (c) => f.configure(c),
      async transceive(frame: Uint8Array, o: TransceiveOptions): Promise<RfReception> {
        const r = await f.transceive(frame, o);
        return frame[0] === 0x02 ? { kind: "frame", bytes: hex("B2"), bits: 8 } : r;
      },
    };
    const r = await createPcd({ controller: nak, clock }).poll(1000);
    if (r.kind !== "activated") throw new Error(r.kind);
    await expect(r.transport.transmit(apdu(5))).rejects.toBeInstanceOf(RfProtocolError);
  });

  it("8: S(DESELECT) is confirmed and the PICC goes to HALT", async () => {
    const t = await activate({ identifier: hex("01020304") });
    expect(await t.transport.deselect()).toBe(true);
    await expect(t.transport.transmit(apdu(5))).rejects.toBeInstanceOf(RfProtocolError);
  });
});
