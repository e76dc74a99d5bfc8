import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { deriveKeyBlockKeys, optionalBlock, unwrapKeyBlock, wrapKeyBlock } from "../../kernel/security/tr31";
import type { RandomSource } from "../../hal/random";
import { loadVectors } from "../support/vectors";
import { seededRandom } from "./support";

const v = loadVectors("tr31.json");

// Published examples beyond the shared file, each from the document named.
const PUBLISHED = [
  { source: "TR-31:2018, A.7.2.2 (version B)", kbpk: "DD7515F2BFC17F85CE48F3CA25CB21F6",
    block: "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E",
    key: "3F419E1CB7079442AA37474C2EFBF8B8", header: { version: "B", usage: "P0", algorithm: "T", modeOfUse: "E", keyVersion: "00", exportability: "E", optionalBlocks: [] } },
  { source: "TR-31:2018, A.7.3.2 (version B, KS optional block)", kbpk: "1D22BF32387C600AD97F9B97A51311AC",
    block: "B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627",
    key: "E8BC63E5479455E26577F715D587FE68", header: { version: "B", usage: "B0", algorithm: "T", modeOfUse: "X", keyVersion: "12", exportability: "S", optionalBlocks: [{ id: "KS", data: "00604B120F9292800000" }] } },
  { source: "ANSI X9.143:2021, 8.4.2 (version B, KS, masked key length)", kbpk: "1D22BF32387C600AD97F9B97A51311AC",
    block: "B0120B0TX12S0100KS1800604B120F929280000015CEB14B76D551F21EC43A75390FA118A98C6CB049E3B9E864A5F4A8B9A5108A6DB5635C95B042D7",
    key: "E8BC63E5479455E26577F715D587FE68", header: { version: "B", usage: "B0", algorithm: "T", modeOfUse: "X", keyVersion: "12", exportability: "S", optionalBlocks: [{ id: "KS", data: "00604B120F9292800000" }] } },
  { source: "ANSI X9.143:2021, 8.1 (version D, masked key length)", kbpk: "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6",
    block: "D0144P0AE00E00002C77FA3F4A553BED6E88AE5C172A4166E3D4ACA8E2AC71C158A476FAC12C13C3829DE55D3AB54C48F4C4FEF7AC75E90FC47F1B77E7B19A73ED46E64410082557",
    key: "3F419E1CB7079442AA37474C2EFBF8B8", header: { version: "D", usage: "P0", algorithm: "A", modeOfUse: "E", keyVersion: "00", exportability: "E", optionalBlocks: [] } },
];

/** Returns `hex` as the random bytes (the padding recovered from a published block). */
function fixed(hex: string): RandomSource {
  const b = fromHex(hex);
  return { fill(out) { out.set(b.subarray(0, out.length)); } };
}

function codeOf(f: () => unknown): string {
  try { f(); } catch (e: any) { return e.code; }
  return "none";
}

/** The clear payload of a published block, decrypted with the crypto provider (not the code under test). */
function payloadOf(version: "B" | "D", kbek: Uint8Array, block: string, headerChars: number): Uint8Array {
  const macChars = version === "B" ? 16 : 32;
  const enc = fromHex(block.slice(headerChars, block.length - macChars));
  const mac = fromHex(block.slice(block.length - macChars));
  return version === "B" ? c.tdesCbcDecrypt(kbek, mac, enc) : c.aesCbcDecrypt(kbek, mac, enc);
}

describe("TR-31 / ANSI X9.143 key blocks: published vectors", () => {
  it.each((v.cases.map((k: any) => [k.header.version, k.header.usage, k])) as any[][])(
    "version %s (%s): unwrap gives the published header and key", (_v, _u, k: any) => {
      const r = unwrapKeyBlock(c, fromHex(k.kbpk), k.block);
      expect(r.header).toEqual(k.header);
      expect(toHex(r.key)).toBe(k.key);
    });

  it.each((v.cases.map((k: any) => [k.header.version, k])) as any[][])(
    "X9.143 7.2.1: the CMAC-derived KBEK and KBAK of version %s equal the published ones", (_v, k: any) => {
      const { kbek, kbak } = deriveKeyBlockKeys(c, k.header.version, fromHex(k.kbpk));
      expect(toHex(kbek)).toBe(k.kbek);
      expect(toHex(kbak)).toBe(k.kbak);
    });

  it.each((PUBLISHED.map((p) => [p.source, p])) as any[][])("%s: unwrap gives the published header and key", (_s, p: any) => {
    const r = unwrapKeyBlock(c, fromHex(p.kbpk), p.block);
    expect(r.header).toEqual(p.header);
    expect(toHex(r.key)).toBe(p.key);
  });

  it("wrap reproduces the published version D block given its padding (TR-31:2018 A.7.4, unmasked)", () => {
    const k = v.cases[0];
    const padding = payloadOf("D", fromHex(k.kbek), k.block, 16).slice(18);
    const block = wrapKeyBlock(c, fromHex(k.kbpk), fromHex(k.key), { ...k.header, random: fixed(toHex(padding)), maskKeyLength: false });
    expect(block).toBe(k.block);
  });

  it("wrap reproduces the published masked blocks given their padding (X9.143 8.1 and 8.4.2)", () => {
    for (const p of PUBLISHED.filter((x) => x.source.startsWith("ANSI"))) {
      const version = p.header.version as "B" | "D";
      const { kbek } = deriveKeyBlockKeys(c, version, fromHex(p.kbpk));
      const headerChars = version === "B" ? 40 : 16;
      const padding = payloadOf(version, kbek, p.block, headerChars).slice(2 + p.key.length / 2);
      const block = wrapKeyBlock(c, fromHex(p.kbpk), fromHex(p.key), { ...(p.header as any), random: fixed(toHex(padding)) });
      expect(block).toBe(p.block);
    }
  });
});

describe("TR-31 / ANSI X9.143 key blocks: rules", () => {
  const random = seededRandom(31);

  it("wrap then unwrap round-trips versions B and D, every KBPK length, key lengths and optional blocks", () => {
    const cases: [("B" | "D"), number, string, number][] = [
      ["B", 16, "T", 16], ["B", 24, "T", 24], ["B", 16, "T", 24], ["D", 16, "A", 16], ["D", 24, "A", 24], ["D", 32, "A", 32], ["D", 32, "T", 16],
    ];
    for (const [version, kbpkLength, algorithm, keyLength] of cases) {
      const kbpk = random.bytes(kbpkLength);
      const key = random.bytes(keyLength);
      const optionalBlocks = [{ id: "KS", data: "FFFF9876543210E00000" }, { id: "KV", data: "0100" }];
      const block = wrapKeyBlock(c, kbpk, key, { version, usage: "B1", algorithm, modeOfUse: "X", keyVersion: "00", exportability: "N", optionalBlocks, random });
      expect(Number(block.slice(1, 5))).toBe(block.length);
      const r = unwrapKeyBlock(c, kbpk, block);
      expect(toHex(r.key)).toBe(toHex(key));
      expect(r.header.optionalBlocks).toEqual(optionalBlocks);
      expect(optionalBlock(r.header, "KS")).toBe("FFFF9876543210E00000");
    }
  });

  it("X9.143 6.3.6: the padding block PB makes the header whole cipher blocks, and an extended length carries a long block", () => {
    const kbpk = random.bytes(32);
    const long = { id: "CT", data: "0".repeat(300) };
    const block = wrapKeyBlock(c, kbpk, random.bytes(16), { version: "D", usage: "D0", algorithm: "A", modeOfUse: "B", keyVersion: "00", exportability: "E", optionalBlocks: [long], random });
    expect(block.slice(16, 26)).toBe("CT00040136"); // 10 + 300 = 0x136 characters
    expect(block).toMatch(/PB[0-9A-F]{2}0*/);
    expect(unwrapKeyBlock(c, kbpk, block).header.optionalBlocks).toEqual([long]);
  });

  it("X9.143 key length obfuscation: by default the key length is masked (a 2TDEA and a 3TDEA key give blocks of one length)", () => {
    const kbpk = random.bytes(16);
    const opts = { version: "B" as const, usage: "P0", algorithm: "T", modeOfUse: "E", keyVersion: "00", exportability: "E", random };
    expect(wrapKeyBlock(c, kbpk, random.bytes(16), opts).length).toBe(wrapKeyBlock(c, kbpk, random.bytes(24), opts).length);
  });

  it("a bad MAC is refused: any altered character of header, payload or MAC, or the wrong KBPK", () => {
    const p = PUBLISHED[1];
    const alter = (s: string, i: number) => s.slice(0, i) + (s[i] === "0" ? "1" : "0") + s.slice(i + 1);
    expect(codeOf(() => unwrapKeyBlock(c, fromHex(p.kbpk), alter(p.block, 10)))).toBe("tr31-mac"); // key version
    expect(codeOf(() => unwrapKeyBlock(c, fromHex(p.kbpk), alter(p.block, 22)))).toBe("tr31-mac"); // KS data
    expect(codeOf(() => unwrapKeyBlock(c, fromHex(p.kbpk), alter(p.block, 50)))).toBe("tr31-mac"); // encrypted key
    expect(codeOf(() => unwrapKeyBlock(c, fromHex(p.kbpk), alter(p.block, p.block.length - 1)))).toBe("tr31-mac");
    expect(codeOf(() => unwrapKeyBlock(c, fromHex(PUBLISHED[0].kbpk), p.block))).toBe("tr31-mac");
  });

  it("malformed blocks are typed errors: length field, unknown or unsupported version, truncated optional block", () => {
    const p = PUBLISHED[1];
    const kbpk = fromHex(p.kbpk);
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, p.block.slice(0, -2)))).toBe("tr31-length");
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, "B0105" + p.block.slice(5)))).toBe("tr31-length");
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, "B01X4" + p.block.slice(5)))).toBe("tr31-length");
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, "E" + p.block.slice(1)))).toBe("tr31-version");
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, "A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701"))).toBe("tr31-version");
    // One optional block announced, its length says 0x30 characters: it runs past the header.
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, "B0032B0TX12S0100KS30006" + "0".repeat(9)))).toBe("tr31-optional-block");
    // Two optional blocks announced, one present.
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, "B0104B0TX12S0200" + p.block.slice(16)))).toBe("tr31-optional-block");
    // Optional block length shorter than its own header.
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, "B0104B0TX12S0100KS0300604B120F9292800000" + p.block.slice(40)))).toBe("tr31-optional-block");
    // KS that is not hex.
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, "B0104B0TX12S0100KS18VM9A4B120F9292800000" + p.block.slice(40)))).toBe("tr31-optional-block");
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, p.block.slice(0, 40) + "ZZ" + p.block.slice(42)))).toBe("tr31-payload");
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, p.block.replace("B0TX", "B0QX")))).toBe("tr31-header");
    expect(codeOf(() => unwrapKeyBlock(c, new Uint8Array(8), p.block))).toBe("tr31-kbpk");
    expect(codeOf(() => unwrapKeyBlock(c, kbpk, "B0008B0T"))).toBe("tr31-length");
  });

  it("wrap refuses bad fields and key lengths with typed errors", () => {
    const kbpk = random.bytes(16);
    const base = { version: "B" as const, usage: "P0", algorithm: "T", modeOfUse: "E", keyVersion: "00", exportability: "E", random };
    expect(codeOf(() => wrapKeyBlock(c, kbpk, random.bytes(16), { ...base, usage: "P" }))).toBe("tr31-header");
    expect(codeOf(() => wrapKeyBlock(c, kbpk, random.bytes(16), { ...base, exportability: "X" }))).toBe("tr31-header");
    expect(codeOf(() => wrapKeyBlock(c, kbpk, random.bytes(15), base))).toBe("tr31-key");
    expect(codeOf(() => wrapKeyBlock(c, random.bytes(32), random.bytes(16), base))).toBe("tr31-kbpk");
    expect(codeOf(() => wrapKeyBlock(c, kbpk, random.bytes(16), { ...base, version: "C" as any }))).toBe("tr31-version");
    expect(codeOf(() => wrapKeyBlock(c, kbpk, random.bytes(16), { ...base, optionalBlocks: [{ id: "KS", data: "XYZ" }] }))).toBe("tr31-optional-block");
  });

  it("no error message carries the key, the KBPK or the block", () => {
    const p = PUBLISHED[1];
    try {
      unwrapKeyBlock(c, fromHex(PUBLISHED[0].kbpk), p.block);
    } catch (e: any) {
      expect(e.message).not.toContain(p.key);
      expect(e.message).not.toContain(PUBLISHED[0].kbpk);
      expect(e.message).not.toContain(p.block.slice(40, 60));
    }
  });
});
