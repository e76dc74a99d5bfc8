import { fromHex, toHex } from "../../kernel/bytes";
import { decodeBlock, encodeBlock, lrc } from "../../kernel/iso7816/t1-block";

// T=1 block frame (ISO/IEC 7816-3:2006, 11.3): NAD PCB LEN INF LRC. The S(IFS request) with IFSD
// 254 is the first block every EMV terminal sends: '00 C1 01 FE 3E'.

describe("T=1 block coding", () => {
  it("S(IFS request) 254 and its response", () => {
    expect(toHex(encodeBlock({ kind: "S", type: "ifs", response: false, inf: fromHex("FE") }))).toBe("00C101FE3E");
    expect(decodeBlock(fromHex("00E101FE1E"), 254)).toEqual({ ok: true, block: { kind: "S", type: "ifs", response: true, inf: fromHex("FE") } });
  });

  it("11.3.2: PCB of I-blocks (N(S), M), R-blocks (N(R), error) and S-blocks", () => {
    expect(toHex(encodeBlock({ kind: "I", ns: 1, more: true, inf: fromHex("00") }))).toBe("0060010061");
    expect(toHex(encodeBlock({ kind: "R", nr: 1, error: 0 }))).toBe("00900090");
    expect(toHex(encodeBlock({ kind: "R", nr: 0, error: 1 }))).toBe("00810081");
    expect(toHex(encodeBlock({ kind: "S", type: "resynch", response: false, inf: new Uint8Array(0) }))).toBe("00C000C0");
    expect(toHex(encodeBlock({ kind: "S", type: "wtx", response: true, inf: fromHex("02") }))).toBe("00E30102E0");
    expect(decodeBlock(fromHex("0060010061"), 254)).toEqual({ ok: true, block: { kind: "I", ns: 1, more: true, inf: fromHex("00") } });
    expect(decodeBlock(fromHex("00920092"), 254)).toEqual({ ok: true, block: { kind: "R", nr: 1, error: 2 } });
  });

  it("11.4.4: LRC is the XOR of every byte", () => {
    expect(lrc(fromHex("00C101FE"))).toBe(0x3e);
  });

  it("invalid blocks say why (11.6.3; EMV Book 1, 9.2.5)", () => {
    const reason = (hex: string, max = 254) => {
      const d = decodeBlock(fromHex(hex), max);
      return d.ok ? "ok" : d.reason;
    };
    expect(reason("00C101FE3F")).toBe("LRC error");
    expect(reason("01C101FE3F")).toBe("NAD is not '00'");
    expect(reason("00C1FF")).toMatch(/shorter/);
    expect(reason("00C1FF00" + "3E")).toMatch(/LEN 'FF'/);
    expect(reason("00C101FE")).toMatch(/LEN does not match/);
    expect(reason("008001" + "00" + "81")).toMatch(/R-block with an INF/);
    expect(reason("00C300C3")).toMatch(/S\(wtx\) with 0/);
    expect(reason("00C500C5")).toMatch(/unknown type/);
    expect(reason("0001" + "00" + "01")).toMatch(/RFU/);
    expect(reason("00000300000003", 2)).toMatch(/exceeds the 2 allowed/);
  });
});
