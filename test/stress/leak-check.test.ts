import { bytesAsText, scanText } from "../../host-sim/leak-check/scan";
import { readerSecrets } from "../../host-sim/leak-check/secrets";
import { runLeakCheck } from "../../host-sim/leak-check/run-leak-check";
import { fromHex } from "../../kernel/bytes";

// Issue 12, item 4: no PAN, track data, PIN or key in clear on any output channel.

describe("leak check", () => {
  const secrets = readerSecrets();

  it("the scanner finds each kind of secret in each form it can leave in, and names it without quoting it", () => {
    const pan = "4761739001010010";
    expect(scanText(secrets, "log", `card ${pan} read`)).toEqual([{ channel: "log", label: "PAN of visa-cda" }]);
    // The PAN as the hex of its ASCII digits (a frame carrying it as text).
    expect(scanText(secrets, "ble", bytesAsText(Uint8Array.from(pan, (c) => c.charCodeAt(0)))).map((h) => h.label)).toContain("PAN of visa-cda");
    // Track 2 as tag 57 carries it (BCD, separator 'D').
    const track2 = secrets.secrets.find((s) => s.label === "track 2 of magstripe-only")!;
    expect(scanText(secrets, "ble", `5713${track2.needles[1]}`).map((h) => h.label)).toContain("track 2 of magstripe-only");
    // Keys, lower case too.
    expect(scanText(secrets, "cli", "fedcba9876543210f1f1f1f1f1f1f1f1").map((h) => h.label)).toEqual(["AES DUKPT BDK"]);
    // ISO 9564-1 format 2, the PIN block VERIFY sends in clear to the card, must never leave the reader.
    expect(scanText(secrets, "ble", bytesAsText(fromHex("241234FFFFFFFFFF"))).map((h) => h.label)).toContain("PIN block in clear (visa-cda)");
    // A masked PAN is not a leak.
    expect(scanText(secrets, "ble", "476173******0010")).toEqual([]);
  });

  it("soak, BLE, the web page, CLI output and error messages: zero hits", async () => {
    const r = await runLeakCheck({ soakTransactions: 100, mutatedTransactions: 200 });
    process.stdout.write(`leak check: ${JSON.stringify(r.channels)}\n`);
    expect(r.channels["BLE frames"]).toBeGreaterThan(50);
    expect(r.channels["web page events and log lines"]).toBeGreaterThan(20);
    expect(r.pagePayments).toEqual(["contact approved", "magstripe approved", "contactless approved"]);
    expect(r.leaks).toEqual([]);
    expect(r.ok).toBe(true);
  });
});
