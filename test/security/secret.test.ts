import { inspect } from "util";
import { Secret } from "../../kernel/security/secret";

describe("Secret: sensitive values never show themselves", () => {
  const bytes = () => Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0);

  it("JSON, string conversion, util.inspect and template strings all say [redacted]", () => {
    const s = new Secret(bytes());
    expect(JSON.stringify({ key: s })).toBe('{"key":"[redacted]"}');
    expect(String(s)).toBe("[redacted]");
    expect(`${s}`).toBe("[redacted]");
    expect(inspect({ key: s })).toBe("{ key: [redacted] }");
    expect(inspect(s, { showHidden: true, depth: 5 })).not.toMatch(/12|34|56/);
  });

  it("the bytes are not reachable as properties (a deep comparison or Object.keys sees nothing)", () => {
    const s = new Secret(bytes());
    expect(Object.keys(s)).toEqual([]);
    expect(Object.getOwnPropertyNames(s)).toEqual([]);
    expect(s.use((b) => b.length)).toBe(8);
  });

  it("zeroize overwrites the bytes, and a zeroized secret refuses to be used", () => {
    const buffer = bytes();
    const s = Secret.adopt(buffer);
    s.zeroize();
    expect([...buffer]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.destroyed).toBe(true);
    expect(s.length).toBe(0);
    expect(() => s.use((b) => b)).toThrow(/after zeroize/);
    s.zeroize();
  });

  it("the constructor copies: the caller's buffer stays the caller's to zeroize", () => {
    const buffer = bytes();
    const s = new Secret(buffer);
    buffer.fill(0);
    expect(s.copy()[0]).toBe(0x12);
  });
});
