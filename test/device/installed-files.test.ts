import { loadOverInstalled } from "../../firmware/app/fleet-configuration";
import type { ReaderConfigFiles } from "../../firmware/app/reader-config";
import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import type { ReaderConfiguration } from "../../kernel/protocol";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../../host-sim/cards";
import terminalConfigJson from "../../host-sim/sim/terminal-config.json";

// firmware/app/fleet-configuration.ts: the device does not hold its installed configuration files in
// RAM for its life (issue 10, item 5); a fleet configuration that comes over BLE is applied over the
// files read again from storage, and a record it can no longer read refuses the configuration.

const FILES: ReaderConfigFiles = { terminal: terminalConfigJson, capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE };
/** EUR (ISO 4217: 978) where the installed configuration has USD (840). */
const EURO: ReaderConfiguration = { version: 7, terminalData: [{ tag: "5F2A", value: fromHex("0978") }, { tag: "9F1A", value: fromHex("0250") }], aids: [], capks: [] };

describe("a fleet configuration over installed files read again from storage", () => {
  it("the files are read once the configuration comes, and the fleet's terminal data apply over them", async () => {
    let reads = 0;
    const config = await loadOverInstalled(softwareCrypto, async () => { reads++; return FILES; }, EURO);
    expect(reads).toBe(1);
    expect(Array.from(config.terminal.currencyCode)).toEqual([0x09, 0x78]);
  });

  it("held files give the same configuration as files read again", async () => {
    const held = await loadOverInstalled(softwareCrypto, FILES, EURO);
    const read = await loadOverInstalled(softwareCrypto, async () => FILES, EURO);
    expect(read.terminal).toEqual(held.terminal);
  });

  it("an installed record no longer readable refuses the fleet configuration as config-malformed", async () => {
    await expect(loadOverInstalled(softwareCrypto, async () => null, EURO)).rejects.toMatchObject({ code: "config-malformed" });
  });
});
