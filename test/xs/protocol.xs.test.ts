import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { PhoneSession } from "../../client/phone-session";
import { fromHex, toHex } from "../../kernel/bytes";
import { encodeRequest, softwareSessionCrypto } from "../../kernel/protocol";
import { loadFleet } from "../../host-sim/fleet/fleet";
import { benchProtocol } from "../../host-sim/reader/bench";
import { onBothEngines, startXs } from "../support/xs";

// Issue 9, "Done when": the protocol runs under the XS-engine tests, with identical answers on Node
// and on XS, and the XS meter gives the compute of a session setup.

describe("BLE protocol on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  it("framing: the same frames at ATT_MTU 23 and 247, and the same reassembly (with a duplicate and a gap)", async () => {
    const message = "A5".repeat(300);
    for (const mtu of [23, 247]) {
      const { node, xs: onXs } = await onBothEngines(xs, "protocol.fragment", { message, mtu, number: 5 });
      expect(onXs).toEqual(node);
      const frames = (node as { frames: string[] }).frames;
      expect(frames.every((f) => f.length / 2 <= mtu - 3)).toBe(true);
      const hostile = [frames[0], frames[0], ...frames.slice(1), "00", frames[frames.length - 1]];
      const r = await onBothEngines(xs, "protocol.reassemble", { frames: hostile });
      expect(r.xs).toEqual(r.node);
      expect((r.node as { results: { kind: string; bytes?: string }[] }).results).toContainEqual({ kind: "message", bytes: message });
    }
  });

  it("messages: a request decodes the same; bad input is the same typed error", async () => {
    const hex = toHex(encodeRequest("start-transaction", 3, { amount: 1234, currency: 978, transactionType: "purchase", interfaces: ["contact", "magstripe"] }));
    const { node, xs: onXs } = await onBothEngines(xs, "protocol.decode", { hex });
    expect(onXs).toEqual(node);
    expect(node).toEqual({ request: { type: "start-transaction", id: 3, body: { amount: 1234, currency: 978, transactionType: "purchase", interfaces: ["contact", "magstripe"] } } });
    await expect(xs.call("protocol.decode", { hex: "020300" })).rejects.toMatchObject({ name: "MessageError", code: "message-version" });
    await expect(xs.call("protocol.decode", { hex: "01039F0206000000001234" })).rejects.toMatchObject({ code: "message-malformed" });
  });

  it("session setup: the reader's HELLO-REPLY from XS verifies on Node (certificate, signature, keys), identical to Node's", async () => {
    const fleet = loadFleet();
    const phone = new PhoneSession({ crypto: softwareSessionCrypto, random: { fill: (b) => b.fill(0x42) }, fleetCaPublicKey: fleet.fleetCaPublicKey, nowSeconds: null });
    const hello = toHex(phone.start());
    const cold = await xs.call("protocol.readerHandshake", { hello, seed: 7 });
    const warm = await xs.call("protocol.readerHandshake", { hello, seed: 8 });
    const { node } = await onBothEngines(xs, "protocol.readerHandshake", { hello, seed: 7 });
    expect(cold.value).toEqual(node);
    const reply = fromHex((cold.value as { reply: string }).reply);
    expect(phone.accept(reply, "MPOSR1SIM0001").subject).toBe("MPOSR1SIM0001");
    // The public-key work of one connection, in XS compute units (first call: curve tables too).
    const compute = { cold: cold.meter!.compute, warm: warm.meter!.compute };
    expect(compute.warm).toBeGreaterThan(1_000_000);
    expect(compute.warm).toBeLessThan(compute.cold);
    console.log(`XS compute of a reader session setup: ${compute.warm} (first after start: ${compute.cold})`);
  });

  it.each([23, 247])("a whole payment at ATT_MTU %i: connect, pair, pay; identical results on both engines", async (mtu) => {
    const { node, xs: onXs } = await onBothEngines(xs, "protocol.payment", { mtu, seed: 11 });
    expect(onXs).toEqual(node);
    expect(node).toMatchObject({ result: "approved", maskedPan: "476173******0119", ble: { mtu } });
    expect((node as { events: string[] }).events).toContain("online-request");
  });

  it("the bench reports frames, bytes and round trips per payment, framing overhead at both MTUs, and the XS compute of a session setup", async () => {
    const results = await benchProtocol(xs);
    const value = (name: string, unit: string) => results.find((r) => r.name.startsWith(name) && (r.unit ?? "").startsWith(unit))?.value;
    for (const mtu of [23, 247]) {
      expect(value(`ble payment at ATT_MTU ${mtu}`, "GATT frames")).toBeGreaterThan(4);
      expect(value(`ble payment at ATT_MTU ${mtu}`, "bytes")).toBeGreaterThan(200);
      expect(value(`ble payment at ATT_MTU ${mtu}`, "round trips")).toBe(2);
      expect(value(`ble framing overhead at ATT_MTU ${mtu}`, "%")).toBeGreaterThan(0);
    }
    expect(value("ble framing overhead at ATT_MTU 23", "%")!).toBeGreaterThan(value("ble framing overhead at ATT_MTU 247", "%")!);
    const setup = results.find((r) => r.name.startsWith("ble session setup") && r.engine === "xs")!;
    expect(setup.compute).toBeGreaterThan(1_000_000);
    console.log(results.map((r) => `${r.name} [${r.engine}] ${r.compute ?? ""} ${r.value ?? ""} ${r.unit ?? ""}`).join("\n"));
  });
});
