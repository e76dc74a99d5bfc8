import { mpos } from "../support/cli";

// Issue 9, "Done when": `mpos phone pay` completes contact, contactless and magstripe payments at
// ATT_MTU 23 and 247 with online authorisation, through the phone SDK and the GATT bridge.

describe("mpos phone pay", () => {
  it.each([
    ["contact", "23"], ["contact", "247"], ["contactless", "23"], ["contactless", "247"], ["magstripe", "23"], ["magstripe", "247"],
  ])("%s at ATT_MTU %s: approved online, with the sim run report and the BLE figures", async (iface, mtu) => {
    // A phone wallet is always online; a contact chip card asks for the online PIN.
    const card = { contact: "visa-cda", contactless: "visa-wallet", magstripe: "magstripe-only" }[iface]!;
    const r = await mpos("phone", "pay", "--card", card, "--interface", iface, "--amount", "12.34", "--pin", "1234", "--mtu", mtu, "--json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.json.outcome).toBe("online-approved");
    expect(r.json.arc).toBe("00");
    expect(r.json.p2pe).toMatchObject({ decryptedByHost: true });
    expect(r.json.phone).toMatchObject({ result: "approved", maskedPan: r.json.maskedPan });
    expect(r.json.phone.ksn).toBe(r.json.p2pe.ksn);
    expect(r.json.ble).toEqual({ mtu: Number(mtu), frames: expect.any(Number), bytes: expect.any(Number), roundTrips: expect.any(Number) });
    expect(r.json.ble.frames).toBeGreaterThan(4);
  });
});

describe("mpos phone pay: what the phone sees and what it is refused", () => {
  it("the phone gets the outcome with the masked PAN and the envelope's KSN, never the PAN", async () => {
    const r = await mpos("phone", "pay", "--card", "visa-cda", "--interface", "contact", "--amount", "12.34", "--json");
    expect(r.json.phone.maskedPan).toMatch(/^[0-9]{6}\*+[0-9]{4}$/);
    const { p2pe: _p2pe, phone: { ksn: _ksn, ...phone }, ...rest } = r.json;
    expect(JSON.stringify({ ...rest, phone })).not.toMatch(/[0-9]{12,19}/);
  });

  it("an issuer decline is a declined outcome and exit 0 (a business outcome, not an error)", async () => {
    const r = await mpos("phone", "pay", "--card", "visa-cda", "--interface", "contact", "--amount", "1500.00", "--json");
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ outcome: "online-declined", arc: "51", phone: { result: "declined", reason: "declinedByIssuer" } });
  });

  it("bad options exit 2 with one JSON error", async () => {
    for (const argv of [["--card", "visa-cda", "--interface", "chip", "--amount", "1"], ["--card", "visa-cda", "--interface", "contact", "--amount", "1", "--mtu", "100"],
      ["--interface", "contact", "--amount", "1"], ["--card", "visa-cda", "--interface", "contact", "--amount", "1.234"]]) {
      const r = await mpos("phone", "pay", ...argv, "--json");
      expect(r.status).toBe(2);
      expect(Object.keys(r.json)).toEqual(["error"]);
    }
  });

  it("a contactless card over the floor limit goes online through the phone (Mastercard, online PIN)", async () => {
    const r = await mpos("phone", "pay", "--card", "mc-cda-offline-pin", "--interface", "contactless", "--amount", "120.00", "--json");
    expect(r.json).toMatchObject({ interface: "contactless", outcome: "online-approved", cvm: "online-pin", phone: { result: "approved" } });
  });

  it("human output names the outcome and the BLE figures", async () => {
    const r = await mpos("phone", "pay", "--card", "magstripe-only", "--interface", "magstripe", "--amount", "3.00", "--mtu", "23");
    expect(r.stdout).toContain("outcome     online-approved");
    expect(r.stdout).toMatch(/BLE {9}ATT_MTU 23: [0-9]+ frames, [0-9]+ bytes, [0-9]+ round trips for the payment/);
  });
});
