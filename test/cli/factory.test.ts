import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { readFactoryIdentity, FactoryIdentityError } from "../../firmware/app/factory-identity";
import { toHex } from "../../kernel/bytes";
import { softwareSessionCrypto, verifyCertificate } from "../../kernel/protocol";
import { IDENTITY_NAMESPACE } from "../../host-sim/factory/identity-records";
import { nvsPartitionCsv, parseNvsPartitionCsv } from "../../host-sim/factory/nvs-csv";
import { loadFleet } from "../../host-sim/fleet/fleet";
import { MemoryStorage } from "../../host-sim/hardware/memory-storage";
import { mpos } from "../support/cli";

// Issue 10: `mpos factory provision` commissions a reader's identity as the NVS partition CSV of
// ESP-IDF's nvs_partition_gen.py, and the firmware's factory-identity.ts reads back exactly what
// the tool wrote (through a SecureStorage filled from the CSV, as Moddable's preference reads the
// partition's blobs).

const fleet = loadFleet();
const NOT_BEFORE = 1767225600; // 2026-01-01

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "mpos-factory-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The records of the identity namespace, in a SecureStorage as the device's NVS holds them. */
async function storageFromCsv(csv: string): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  const namespace = parseNvsPartitionCsv(csv).get(IDENTITY_NAMESPACE);
  if (namespace === undefined) throw new Error("no identity namespace in the CSV");
  for (const [name, bytes] of namespace) await storage.write(name, bytes);
  return storage;
}

describe("mpos factory provision", () => {
  it("writes the three identity records; the firmware reads back the serial, the fleet-CA certificate and the configuration key", async () => {
    const out = join(dir, "r1.csv");
    const r = await mpos("factory", "provision", "--serial", "MPOSR1F000042", "--out", out, "--not-before", String(NOT_BEFORE), "--json");
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ out, namespace: "mpos-identity", serial: "MPOSR1F000042", notBefore: NOT_BEFORE, notAfter: NOT_BEFORE + 20 * 365 * 24 * 3600 });
    expect(r.json.nvsPartitionGen).toMatch(/^python -m esp_idf_nvs_partition_gen encrypt .*r1\.csv .*r1\.bin 0x10000 --keygen --keyfile nvs_keys\.bin$/);
    // The CSV holds the identity key: only its owner may read it.
    expect(statSync(out).mode & 0o077).toBe(0);
    const csv = readFileSync(out, "utf8");
    expect(csv.split("\n").slice(0, 2)).toEqual(["key,type,encoding,value", "mpos-identity,namespace,,"]);
    expect(csv).toMatch(/^id-key,data,hex2bin,[0-9A-F]{64}$/m);

    const identity = await readFactoryIdentity(await storageFromCsv(csv), softwareSessionCrypto, "MPOS-R1");
    expect(identity.serial).toBe("MPOSR1F000042");
    expect(toHex(identity.identity.certificate.publicKey)).toBe(r.json.publicKey);
    // The phone SDK's check: the certificate verifies under the pinned fleet CA key.
    expect(() => verifyCertificate(softwareSessionCrypto, identity.identity.certificate, fleet.fleetCaPublicKey, NOT_BEFORE + 1, "MPOSR1F000042")).not.toThrow();
    expect(identity.trustedConfigurationKeys).toEqual(fleet.trustedConfigurationKeys);
  });

  it("the identity key never appears in its output, and every reader gets its own", async () => {
    const a = await mpos("factory", "provision", "--serial", "A1", "--out", join(dir, "a.csv"), "--json");
    const b = await mpos("factory", "provision", "--serial", "A1", "--out", join(dir, "b.csv"), "--json");
    const keyOf = (file: string) => parseNvsPartitionCsv(readFileSync(join(dir, file), "utf8")).get(IDENTITY_NAMESPACE)?.get("id-key");
    const secret = toHex(keyOf("a.csv") as Uint8Array);
    expect(a.stdout).not.toContain(secret);
    expect(a.json.publicKey).not.toBe(b.json.publicKey);
  });

  it("bad input is refused with exit 2: a serial outside the certificate's subject, an existing file without --force", async () => {
    const bad = await mpos("factory", "provision", "--serial", "MPOS-R1/42", "--out", join(dir, "x.csv"), "--json");
    expect([bad.status, bad.json.error]).toEqual([2, expect.stringMatching(/serial is 1 to 24 letters and digits/)]);
    writeFileSync(join(dir, "taken.csv"), "");
    const taken = await mpos("factory", "provision", "--serial", "A2", "--out", join(dir, "taken.csv"), "--json");
    expect([taken.status, taken.json.error]).toEqual([2, expect.stringMatching(/exists/)]);
    const days = await mpos("factory", "provision", "--serial", "A2", "--out", join(dir, "y.csv"), "--validity-days", "0", "--json");
    expect(days.status).toBe(2);
  });

  it("a partition without the identity records leaves the reader uncommissioned (FactoryIdentityError)", async () => {
    const csv = nvsPartitionCsv(IDENTITY_NAMESPACE, { "id-cert": Uint8Array.of(0xe1, 0x00) });
    await expect(readFactoryIdentity(await storageFromCsv(csv), softwareSessionCrypto, "MPOS-R1")).rejects.toThrow(FactoryIdentityError);
    expect(() => parseNvsPartitionCsv("key,type\n")).toThrow(/not an NVS partition CSV/);
    expect(() => nvsPartitionCsv("a-namespace-too-long", {})).toThrow(/15 characters/);
  });
});
