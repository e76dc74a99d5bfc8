import { mpos } from "../support/cli";
import { loadVectors } from "../support/vectors";

const aes = loadVectors("dukpt-aes.json");
const tdes = loadVectors("dukpt-tdes.json");
const pin = loadVectors("pinblock.json");
const tr31 = loadVectors("tr31.json");

// Issue 3, the CLI: one JSON object with --json, uppercase hex, exit 2 and `error: ...` on bad input.
describe("mpos dukpt", () => {
  it.each((aes.workingKeys.map((w: any) => [w.usage, w.keyType, w.counter, w])) as any[][])(
    "dukpt aes --usage %s --key-type %s (counter %i) prints the published initial and working keys", async (_u, _t, _n, w: any) => {
      const r = await mpos("dukpt", "aes", "--bdk", w.bdk, "--ksn", w.ksn, "--usage", w.usage, "--key-type", w.keyType, "--json");
      expect(r.status).toBe(0);
      expect(r.json).toEqual({ initialKey: w.initialKey, key: w.key });
    });

  it.each((tdes.workingKeys.map((w: any) => [w.variant, w.counter, w])) as any[][])(
    "dukpt tdes --variant %s (counter %i) prints the published IPEK and key", async (_v, _n, w: any) => {
      const r = await mpos("dukpt", "tdes", "--bdk", w.bdk, "--ksn", w.ksn, "--variant", w.variant, "--json");
      expect(r.status).toBe(0);
      expect(r.json).toEqual({ ipek: w.ipek, key: w.key });
    });

  it("lowercase hex in, uppercase hex out", async () => {
    const w = tdes.workingKeys[0];
    const r = await mpos("dukpt", "tdes", "--bdk", w.bdk.toLowerCase(), "--ksn", w.ksn.toLowerCase(), "--variant", "pin", "--json");
    expect(r.json).toEqual({ ipek: w.ipek, key: w.key });
  });

  it.each([
    [["dukpt", "aes", "--bdk", "FEDCBA9876543210F1F1F1F1F1F1F1", "--ksn", "123456789012345600000001", "--usage", "pin", "--key-type", "aes128"], /16, 24 or 32 bytes/],
    [["dukpt", "aes", "--bdk", "FEDCBA9876543210F1F1F1F1F1F1F1F1", "--ksn", "12345678901234560001", "--usage", "pin", "--key-type", "aes128"], /24 hex digits/],
    [["dukpt", "aes", "--bdk", "FEDCBA9876543210F1F1F1F1F1F1F1F1", "--ksn", "123456789012345600000001", "--usage", "pin", "--key-type", "aes256"], /stronger/],
    [["dukpt", "aes", "--bdk", "FEDCBA9876543210F1F1F1F1F1F1F1F1", "--ksn", "1234567890123456FFFF0001", "--usage", "pin", "--key-type", "aes128"], /counter/],
    [["dukpt", "aes", "--bdk", "FEDCBA9876543210F1F1F1F1F1F1F1F1", "--ksn", "123456789012345600000001", "--usage", "cvv", "--key-type", "aes128"], /--usage must be one of/],
    [["dukpt", "tdes", "--bdk", "0123456789ABCDEFFEDCBA9876543210", "--ksn", "FFFF9876543210E0000100", "--variant", "pin"], /20 hex digits/],
    [["dukpt", "tdes", "--bdk", "0123456789ABCDEFFEDCBA9876543210", "--ksn", "FFFF9876543210E007FF", "--variant", "pin"], /counter/],
    [["dukpt", "tdes", "--bdk", "0123456789ABCDEFFEDCBA98765432", "--ksn", "FFFF9876543210E00001", "--variant", "pin"], /16 bytes/],
    [["dukpt", "tdes", "--bdk", "0123456789ABCDEFFEDCBA987654321G", "--ksn", "FFFF9876543210E00001", "--variant", "pin"], /non-hex/],
    [["dukpt", "tdes", "--bdk", "0123456789ABCDEFFEDCBA9876543210", "--ksn", "FFFF9876543210E00001"], /missing --variant/],
  ])("bad input %#: exit 2, one error line, {error} without key material", async (argv, message) => {
    const r = await mpos(...(argv as string[]), "--json");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.json).toEqual({ error: expect.stringMatching(message as RegExp) });
    expect(r.json.error).not.toMatch(/FEDCBA9876543210|0123456789ABCDEF/);
  });
});

describe("mpos pinblock", () => {
  it.each((pin.encode.filter((e: any) => e.format !== 4).map((e: any) => [e.format, e])) as any[][])(
    "encode --format %i prints the published clear block", async (_f, e: any) => {
      const argv = ["pinblock", "encode", "--format", String(e.format), "--pin", e.pin, ...(e.pan ? ["--pan", e.pan] : []), "--json"];
      const r = await mpos(...argv);
      expect(r.status).toBe(0);
      expect(r.json).toEqual({ block: e.block });
    });

  it.each((pin.encode.map((e: any) => [e.format, e])) as any[][])("decode --format %i of the published block prints the PIN", async (_f, e: any) => {
    const argv = ["pinblock", "decode", "--format", String(e.format), "--block", e.block, ...(e.pan ? ["--pan", e.pan] : []), ...(e.key ? ["--key", e.key] : []), "--json"];
    const r = await mpos(...argv);
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ pin: e.pin });
  });

  it.each([1, 3, 4])("encode --format %i (random fill) round-trips through decode", async (format) => {
    const key = "00112233445566778899AABBCCDDEEFF";
    const extra = format === 4 ? ["--key", key] : [];
    const pan = format === 1 ? [] : ["--pan", "4111111111111111"];
    const e = await mpos("pinblock", "encode", "--format", String(format), "--pin", "987654", ...pan, ...extra, "--json");
    expect(e.status).toBe(0);
    expect(e.json.block).toMatch(format === 4 ? /^[0-9A-F]{32}$/ : /^[0-9A-F]{16}$/);
    const d = await mpos("pinblock", "decode", "--format", String(format), "--block", e.json.block, ...pan, ...extra, "--json");
    expect(d.json).toEqual({ pin: "987654" });
  });

  it.each([
    [["pinblock", "encode", "--format", "0", "--pin", "123", "--pan", "4111111111111111"], /4 to 12 digits/],
    [["pinblock", "encode", "--format", "0", "--pin", "1234567890123", "--pan", "4111111111111111"], /4 to 12 digits/],
    [["pinblock", "encode", "--format", "0", "--pin", "1234", "--pan", "4111x11111111111"], /PAN must contain only the digits/],
    [["pinblock", "encode", "--format", "3", "--pin", "1234"], /needs the PAN/],
    [["pinblock", "encode", "--format", "4", "--pin", "1234", "--pan", "4111111111111111"], /AES key/],
    [["pinblock", "encode", "--format", "5", "--pin", "1234"], /--format must be one of/],
    [["pinblock", "decode", "--format", "2", "--block", "241234FFFFFFFF"], /8 bytes/],
    [["pinblock", "decode", "--format", "0", "--block", "241234FFFFFFFFFF", "--pan", "4111111111111111"], /control field/],
  ])("bad input %#: exit 2 and a message without the PIN or PAN", async (argv, message) => {
    const r = await mpos(...(argv as string[]), "--json");
    expect(r.status).toBe(2);
    expect(r.json).toEqual({ error: expect.stringMatching(message as RegExp) });
    expect(r.json.error).not.toMatch(/4111|1234/);
  });
});

describe("mpos tr31", () => {
  const k = tr31.cases[0];

  it("unwrap prints the published header and key", async () => {
    const r = await mpos("tr31", "unwrap", "--kbpk", k.kbpk, "--block", k.block, "--json");
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ header: k.header, key: k.key });
  });

  it("unwrap of a version B block with KS prints the optional block (TR-31:2018 A.7.3.2)", async () => {
    const r = await mpos("tr31", "unwrap", "--kbpk", "1D22BF32387C600AD97F9B97A51311AC", "--block",
      "B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627", "--json");
    expect(r.json).toEqual({
      header: { version: "B", usage: "B0", algorithm: "T", modeOfUse: "X", keyVersion: "12", exportability: "S", optionalBlocks: [{ id: "KS", data: "00604B120F9292800000" }] },
      key: "E8BC63E5479455E26577F715D587FE68",
    });
  });

  it.each([["B", "1D22BF32387C600AD97F9B97A51311AC", "T"], ["D", k.kbpk, "A"]])(
    "wrap --version %s with --ksn, then unwrap, gives the key and the header back", async (version, kbpk, algorithm) => {
      const key = algorithm === "T" ? tdes.ipek : aes.initialKeys[0].initialKey;
      const w = await mpos("tr31", "wrap", "--kbpk", kbpk, "--version", version, "--usage", "B1", "--algorithm", algorithm, "--mode", "X",
        "--key", key, "--exportability", "N", "--key-version", "01", "--ksn", "ffff9876543210e00000", "--json");
      expect(w.status).toBe(0);
      expect(w.json.block.startsWith(`${version}0`)).toBe(true);
      const u = await mpos("tr31", "unwrap", "--kbpk", kbpk, "--block", w.json.block, "--json");
      expect(u.json).toEqual({
        header: { version, usage: "B1", algorithm, modeOfUse: "X", keyVersion: "01", exportability: "N", optionalBlocks: [{ id: "KS", data: "FFFF9876543210E00000" }] },
        key,
      });
    });

  it.each([
    [["tr31", "unwrap", "--kbpk", k.kbpk, "--block", k.block.slice(0, -1) + "0"], /MAC does not verify/],
    [["tr31", "unwrap", "--kbpk", k.kbpk, "--block", "D0113" + k.block.slice(5)], /length field/],
    [["tr31", "unwrap", "--kbpk", k.kbpk, "--block", "E" + k.block.slice(1)], /version/],
    [["tr31", "unwrap", "--kbpk", k.kbpk, "--block", "D0032P0AE00E0100KS1"+ "0".repeat(13)], /optional block/],
    [["tr31", "unwrap", "--kbpk", "0011", "--block", k.block], /KBPK/],
    [["tr31", "wrap", "--kbpk", k.kbpk, "--version", "C", "--usage", "P0", "--algorithm", "A", "--mode", "E", "--key", "00".repeat(16)], /--version must be one of/],
    [["tr31", "wrap", "--kbpk", k.kbpk, "--version", "D", "--usage", "P0", "--algorithm", "A", "--mode", "E", "--key", "00".repeat(15)], /cannot be 15 bytes/],
  ])("bad input %#: exit 2 and a typed message", async (argv, message) => {
    const r = await mpos(...(argv as string[]), "--json");
    expect(r.status).toBe(2);
    expect(r.json).toEqual({ error: expect.stringMatching(message as RegExp) });
    expect(r.json.error).not.toContain(k.key);
  });

  it("without --json the key block is printed alone on its line", async () => {
    const r = await mpos("tr31", "wrap", "--kbpk", k.kbpk, "--version", "D", "--usage", "P0", "--algorithm", "A", "--mode", "E", "--key", k.key);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^D0144P0AE00E0000[0-9A-F]{128}\n$/);
  });
});
