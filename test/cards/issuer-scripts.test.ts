import { fromHex } from "../../kernel/bytes";
import { decodeTlv } from "../../kernel/tlv";
import { IssuerHost } from "../../host-sim/issuer";
import { chipSensitiveItems, cidOf, firstGenerateAc, requestIccData } from "../issuer/support/chip-session";
import { iccData, request } from "../issuer/support/online";
import { apdu, dolData, readApplication, send } from "./support/card-terminal";

/** One online transaction on `card` with scripts queued on the host; returns the script commands. */
function scriptCommands(id: string, queue: (host: IssuerHost, pan: string) => void) {
  const s = firstGenerateAc(id);
  const host = new IssuerHost();
  queue(host, s.card.profile.pan);
  const d = host.decide(request(iccData(requestIccData(s)), chipSensitiveItems(s)));
  const commands = decodeTlv(d.issuerScripts!).flatMap((t) => t.children!.filter((x) => x.tag === "86").map((x) => x.value));
  return { s, commands, decision: d };
}

describe("virtual card: issuer script commands with secure messaging (Book 3, 6.5.1, 6.5.10; Book 2, 9)", () => {
  it("APPLICATION BLOCK: '9000'; then SELECT answers '6283' and GENERATE AC only an AAC", () => {
    const { s, commands } = scriptCommands("visa-cda", (h, pan) => h.queueScript(pan, { command: "application-block" }));
    expect(commands.length).toBe(1);
    expect(commands[0][0]).toBe(0x84);
    expect(send(s.card.applet!, commands[0]).sw).toBe(0x9000);
    const next = send(s.card.applet!, apdu(0x00, 0xa4, 0x04, 0x00, fromHex("A0000000031010"), 0));
    expect(next.sw).toBe(0x6283);
    const again = firstGenerateAcOn(s);
    expect(cidOf(again)).toBe(0x00);
  });

  it("a command whose MAC does not verify is '6988' and changes nothing", () => {
    const { s, commands } = scriptCommands("visa-cda", (h, pan) => h.queueScript(pan, { command: "application-block" }));
    const forged = commands[0].slice();
    forged[forged.length - 1] ^= 1;
    expect(send(s.card.applet!, forged).sw).toBe(0x6988);
    expect(send(s.card.applet!, apdu(0x00, 0xa4, 0x04, 0x00, fromHex("A0000000031010"), 0)).sw).toBe(0x9000);
  });

  it("a script MACed for another transaction's cryptogram is refused", () => {
    const a = scriptCommands("visa-cda", (h, pan) => h.queueScript(pan, { command: "application-block" }));
    const b = firstGenerateAc("visa-cda", "000000001234", 0x80, { "9F37": "99999999" });
    expect(send(b.card.applet!, a.commands[0]).sw).toBe(0x6988);
  });

  it("PIN CHANGE (P2 '02'): the new PIN, enciphered under SK_SMC, replaces the old one", () => {
    const { s, commands } = scriptCommands("mc-cda-offline-pin", (h, pan) => h.queueScript(pan, { command: "pin-change", newPin: "4321" }));
    expect(send(s.card.applet!, commands[0]).sw).toBe(0x9000);
    readApplication(s.card.applet!, "A0000000041010");
    expect(send(s.card.applet!, apdu(0x00, 0x20, 0x00, 0x80, fromHex("241234FFFFFFFFFF"))).sw).toBe(0x63c2);
    expect(send(s.card.applet!, apdu(0x00, 0x20, 0x00, 0x80, fromHex("244321FFFFFFFFFF"))).sw).toBe(0x9000);
  });

  it("PIN UNBLOCK (P2 '00') restores the PIN Try Counter of pin-blocked", () => {
    const { s, commands } = scriptCommands("pin-blocked", (h, pan) => h.queueScript(pan, { command: "pin-unblock", template: "71" }));
    expect(send(s.card.applet!, commands[0]).sw).toBe(0x9000);
    readApplication(s.card.applet!, "A0000000031010");
    expect(send(s.card.applet!, apdu(0x00, 0x20, 0x00, 0x80, fromHex("241234FFFFFFFFFF"))).sw).toBe(0x9000);
  });

  it("script commands before any ARQC in the transaction are refused ('6985')", () => {
    const { commands } = scriptCommands("visa-cda", (h, pan) => h.queueScript(pan, { command: "application-block" }));
    const fresh = firstGenerateAc("visa-sda", "000000000100", 0x40); // a TC: no ARQC
    expect(send(fresh.card.applet!, commands[0]).sw).toBe(0x6985);
  });
});

function firstGenerateAcOn(s: ReturnType<typeof firstGenerateAc>) {
  readApplication(s.card.applet!, "A0000000031010", { "9F1A": "0840", "5F2A": "0840" });
  return send(s.card.applet!, apdu(0x80, 0xae, 0x40, 0x00, dolData(s.app.data.get("8C")!, s.terminal), 0));
}
