import { mpos } from "../support/cli";
import { newTvr, TVR } from "../../kernel/emv/tvr";
import { fromHex } from "../../kernel/bytes";

// Issue 6, "Done when": every card profile through `mpos sim run` to the outcome a real terminal
// would reach. The date is fixed so that the cards' expiry dates give the same answer every year.
const DATE = ["--date", "250615", "--time", "120000"];

async function run(...args: string[]) {
  const r = await mpos("sim", "run", ...args, ...DATE, "--json");
  expect(r.status).toBe(0);
  return r.json;
}

function tvrBits(hex: string): string[] {
  return newTvr(fromHex(hex)).names();
}

describe("mpos sim run: the acceptance outcomes of issue 6", () => {
  it("visa-cda, 12.34, PIN 1234: online-approved with online PIN, CDA verified, P2PE opened by the issuer", async () => {
    const r = await run("--card", "visa-cda", "--interface", "contact", "--amount", "12.34", "--pin", "1234");
    expect(r).toMatchObject({ outcome: "online-approved", cvm: "online-pin", maskedPan: "476173******0010", arc: "00", cid: "40" });
    expect(tvrBits(r.tvr)).toEqual(["Online PIN entered", "Transaction exceeds floor limit"]);
    expect(r.tsi).toBe("F800");
    expect(r.p2pe).toEqual({ ksn: expect.stringMatching(/^[0-9A-F]{24}$/), decryptedByHost: true });
    expect(r.apdus).toBeGreaterThan(8);
    expect(r.modeledMs).toBeGreaterThan(0);
    expect(r.prompts).toEqual(["ENTER PIN", "PLEASE WAIT", "APPROVED"]);
  });

  it("expired: declined offline, with 'Expired application' in the TVR", async () => {
    const r = await run("--card", "expired", "--interface", "contact", "--amount", "12.34");
    expect(r.outcome).toBe("declined");
    expect(newTvr(fromHex(r.tvr)).has(TVR.expiredApplication)).toBe(true);
    expect(r.cid).toBe("00");
  });

  it("pin-blocked: 'PIN Try Limit exceeded' set, no PIN asked for", async () => {
    const r = await run("--card", "pin-blocked", "--interface", "contact", "--amount", "12.34");
    expect(newTvr(fromHex(r.tvr)).has(TVR.pinTryLimitExceeded)).toBe(true);
    expect(r.prompts).not.toContain("ENTER PIN");
    expect(r.outcome).toBe("declined");
  });

  it("revoked-issuer-cert: the ODA failure bit ('CDA failed')", async () => {
    const r = await run("--card", "revoked-issuer-cert", "--interface", "contact", "--amount", "12.34");
    expect(newTvr(fromHex(r.tvr)).has(TVR.cdaFailed)).toBe(true);
  });

  it("chip-broken: the chip does not answer reset, fallback to the magnetic stripe", async () => {
    const r = await run("--card", "chip-broken", "--interface", "contact", "--amount", "12.34");
    expect(r).toMatchObject({ outcome: "fallback-to-magstripe", apdus: 0, prompts: ["USE MAG STRIPE"] });
  });

  it("chip-magstripe-201 swiped: service code 2xx, insert the card", async () => {
    const r = await run("--card", "chip-magstripe-201", "--interface", "magstripe", "--amount", "12.34");
    expect(r).toMatchObject({ outcome: "insert-card", prompts: ["INSERT CARD"] });
    expect(r.p2pe).toBeUndefined();
  });

  it("1000.00: the issuer declines (ARC 51), the card gives an AAC: online-declined", async () => {
    const r = await run("--card", "visa-cda", "--interface", "contact", "--amount", "1000.00");
    expect(r).toMatchObject({ outcome: "online-declined", arc: "51", cid: "00" });
  });
});

describe("mpos sim run: every other profile", () => {
  it("visa-sda: SDA, signature, online-approved", async () => {
    const r = await run("--card", "visa-sda", "--interface", "contact", "--amount", "12.34");
    expect(r).toMatchObject({ outcome: "online-approved", cvm: "signature" });
    expect(tvrBits(r.tvr)).toEqual(["SDA selected", "Transaction exceeds floor limit"]);
  });

  it("mc-dda: DDA, online PIN, ARPC method 2 in the second GENERATE AC: online-approved", async () => {
    const r = await run("--card", "mc-dda", "--interface", "contact", "--amount", "12.34", "--protocol", "t1");
    expect(r).toMatchObject({ outcome: "online-approved", cvm: "online-pin", arc: "00" });
    expect(newTvr(fromHex(r.tvr)).has(TVR.ddaFailed)).toBe(false);
  });

  it("mc-cda-offline-pin: offline enciphered PIN, approved offline under the floor limit", async () => {
    const r = await run("--card", "mc-cda-offline-pin", "--interface", "contact", "--amount", "12.34");
    expect(r).toMatchObject({ outcome: "approved", cvm: "offline-enciphered-pin", arc: "Y1", cid: "40" });
    expect(r.p2pe.decryptedByHost).toBe(true);
  });

  it("mc-cda-offline-pin with a wrong PIN first: INCORRECT PIN, then the right one", async () => {
    const r = await run("--card", "mc-cda-offline-pin", "--interface", "contact", "--amount", "12.34", "--pin", "0000,1234");
    expect(r.prompts.slice(0, 4)).toEqual(["ENTER PIN", "INCORRECT PIN", "ENTER PIN", "PIN OK"]);
    expect(r.cvm).toBe("offline-enciphered-pin");
  });

  it("amex-online-pin: online-approved with online PIN", async () => {
    const r = await run("--card", "amex-online-pin", "--interface", "contact", "--amount", "12.34");
    expect(r).toMatchObject({ outcome: "online-approved", cvm: "online-pin", maskedPan: "374245*****0126" });
  });

  it("a wrong online PIN: the issuer declines (ARC 55)", async () => {
    const r = await run("--card", "visa-cda", "--interface", "contact", "--amount", "12.34", "--pin", "9999");
    expect(r).toMatchObject({ outcome: "online-declined", arc: "55" });
  });

  it("magstripe-only swiped: service code 101, online-approved on the track data", async () => {
    const r = await run("--card", "magstripe-only", "--interface", "magstripe", "--amount", "12.34");
    expect(r).toMatchObject({ outcome: "online-approved", maskedPan: "401288******1881", arc: "00", apdus: 0 });
    expect(r.p2pe.decryptedByHost).toBe(true);
  });

  it("a card without a chip inserted: nothing answers reset, fallback to the stripe", async () => {
    const r = await run("--card", "magstripe-only", "--interface", "contact", "--amount", "12.34");
    expect(r.outcome).toBe("fallback-to-magstripe");
  });

  it("the same transaction over T=0 and T=1 reaches the same outcome; only the line time differs", async () => {
    const t0 = await run("--card", "visa-cda", "--interface", "contact", "--amount", "12.34", "--protocol", "t0");
    const t1 = await run("--card", "visa-cda", "--interface", "contact", "--amount", "12.34", "--protocol", "t1");
    expect({ ...t0, modeledMs: 0 }).toEqual({ ...t1, modeledMs: 0 });
  });
});

describe("mpos sim run: the CLI rules", () => {
  it("an unknown card, a bad amount, a bad interface: exit 2 and one JSON error object", async () => {
    for (const args of [
      ["--card", "no-such-card", "--interface", "contact", "--amount", "1.00"],
      ["--card", "visa-cda", "--interface", "contact", "--amount", "1.234"],
      ["--card", "visa-cda", "--interface", "nfc", "--amount", "1.00"],
      ["--card", "visa-cda", "--interface", "contact", "--amount", "1.00", "--pin", "12a4"],
    ]) {
      const r = await mpos("sim", "run", ...args, "--json");
      expect(r.status).toBe(2);
      expect(Object.keys(r.json)).toEqual(["error"]);
    }
  });

  it("without --json prints a readable report", async () => {
    const r = await mpos("sim", "run", "--card", "visa-cda", "--interface", "contact", "--amount", "12.34", ...DATE);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^outcome +online-approved/m);
    expect(r.stdout).not.toMatch(/4761739001010010/);
  });
});
