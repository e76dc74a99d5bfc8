import { mpos } from "../support/cli";

// Issue 7, "Done when", through `mpos sim run --interface contactless`.
const base = ["--interface", "contactless", "--date", "250601", "--time", "120000", "--json"];

describe("mpos sim run --interface contactless", () => {
  it("visa-cda at 5.00: approved offline with fDDA, within the 250 ms tap goal", async () => {
    const r = await mpos("sim", "run", "--card", "visa-cda", "--amount", "5.00", ...base);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ outcome: "approved", cvm: "no-cvm", kernel: "C-3", oda: "fdda", odaResult: "passed", cid: "40", interface: "contactless" });
    expect(r.json.maskedPan).toMatch(/^476173\*+0010$/);
    expect(r.json.tap.cardInFieldMs).toBeLessThanOrEqual(250);
    expect(r.json.tap).toMatchObject({ wtxRequests: 0, retransmissions: 0 });
    expect(r.json.tap.airMs + r.json.tap.cardMs + r.json.tap.readerMs + r.json.tap.protocolMs).toBeCloseTo(r.json.tap.cardInFieldMs, 2);
    expect(r.json.p2pe.decryptedByHost).toBe(true);
  });

  it("visa-cda at 150.00 (over the CVM limit): online-approved with online PIN", async () => {
    const r = await mpos("sim", "run", "--card", "visa-cda", "--amount", "150.00", ...base);
    expect(r.json).toMatchObject({ outcome: "online-approved", cvm: "online-pin", arc: "00", cid: "80" });
  });

  it("a wrong online PIN is declined by the issuer", async () => {
    const r = await mpos("sim", "run", "--card", "visa-cda", "--amount", "150.00", "--pin", "9999", ...base);
    expect(r.json).toMatchObject({ outcome: "online-declined", cvm: "online-pin", arc: "55" });
  });

  it("visa-wallet at 150.00: online-approved with cvm cdcvm", async () => {
    const r = await mpos("sim", "run", "--card", "visa-wallet", "--amount", "150.00", ...base);
    expect(r.json).toMatchObject({ outcome: "online-approved", cvm: "cdcvm", kernel: "C-3" });
  });

  it("mc-cda-offline-pin goes through C-2 with CDA: offline at 5.00, online PIN at 150.00", async () => {
    const low = await mpos("sim", "run", "--card", "mc-cda-offline-pin", "--amount", "5.00", ...base);
    expect(low.json).toMatchObject({ outcome: "approved", kernel: "C-2", oda: "cda", odaResult: "passed" });
    const high = await mpos("sim", "run", "--card", "mc-cda-offline-pin", "--amount", "150.00", ...base);
    expect(high.json).toMatchObject({ outcome: "online-approved", kernel: "C-2", cvm: "online-pin", oda: "cda", odaResult: "passed" });
  });

  it("mc-wallet at 150.00: C-2, CDA, cdcvm", async () => {
    const r = await mpos("sim", "run", "--card", "mc-wallet", "--amount", "150.00", ...base);
    expect(r.json).toMatchObject({ outcome: "online-approved", kernel: "C-2", cvm: "cdcvm", odaResult: "passed" });
  });

  it("two cards: collision", async () => {
    const r = await mpos("sim", "run", "--card", "visa-cda", "--cards", "visa-cda,mc-cda-offline-pin", "--amount", "5.00", ...base);
    expect(r.json).toMatchObject({ outcome: "collision", apdus: 0 });
    expect(r.json.prompts).toContain("PLEASE PRESENT ONE CARD ONLY");
  });

  it("the card taken away mid-transaction: present-card-again; presented again: approved", async () => {
    const gone = await mpos("sim", "run", "--card", "visa-cda", "--amount", "5.00", "--remove-during-apdu", "3", ...base);
    expect(gone.json).toMatchObject({ outcome: "present-card-again", restarts: 1 });
    expect(gone.json.prompts).toContain("PRESENT CARD AGAIN");
    const back = await mpos("sim", "run", "--card", "visa-cda", "--amount", "5.00", "--remove-during-apdu", "3", "--return-after-ms", "300", ...base);
    expect(back.json).toMatchObject({ outcome: "approved", restarts: 1 });
  });

  it("a card with no contactless interface never answers", async () => {
    const r = await mpos("sim", "run", "--card", "mc-dda", "--amount", "5.00", ...base);
    expect(r.json).toMatchObject({ outcome: "no-card", apdus: 0 });
  });

  it("at or above the contactless transaction limit: try-another-interface", async () => {
    const r = await mpos("sim", "run", "--card", "visa-cda", "--amount", "1000.00", ...base);
    expect(r.json).toMatchObject({ outcome: "try-another-interface", apdus: 0 });
  });

  it("a slow card near its FWT asks for waiting time extensions and still completes", async () => {
    const r = await mpos("sim", "run", "--card", "visa-cda", "--amount", "5.00", "--slowdown", "6", ...base);
    expect(r.json.outcome).toBe("approved");
    expect(r.json.tap.cardMs).toBeGreaterThan(200);
    expect(r.json.tap.wtxRequests).toBeGreaterThan(0);
  });

  it("refuses an unknown card, and options of other interfaces", async () => {
    const bad = await mpos("sim", "run", "--card", "nope", "--amount", "5.00", ...base);
    expect(bad.status).toBe(2);
    expect(bad.json.error).toContain("nope");
    const proto = await mpos("sim", "run", "--card", "visa-cda", "--amount", "5.00", "--protocol", "t1", ...base);
    expect(proto.status).toBe(2);
  });

  it("prints a readable report without --json, tap time included", async () => {
    const r = await mpos("sim", "run", "--card", "visa-cda", "--interface", "contactless", "--amount", "5.00", "--date", "250601", "--time", "120000");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/outcome\s+approved/);
    expect(r.stdout).toMatch(/tap\s+[0-9.]+ ms in the field/);
    expect(r.stdout).not.toMatch(/4761739001010010/);
  });
});
