import { packBytes } from "../../kernel/bytes";

// kernel/bytes/pack.ts: a configuration's byte fields moved into one buffer (issue 10, item 5).

describe("packBytes: one backing buffer for a tree's byte fields", () => {
  it("every byte array keeps its bytes, now a view of one shared buffer; other fields are untouched", () => {
    const tree = {
      n: 7, s: "x", flag: true, none: undefined as Uint8Array | undefined,
      a: Uint8Array.of(1, 2),
      apps: [{ aid: Uint8Array.of(0xa0, 0, 0, 0, 3), versions: [Uint8Array.of(0, 0x8c), Uint8Array.of(0, 0x96)] }, { aid: new Uint8Array(0) }],
    };
    const packed = packBytes(tree);
    expect(packed).toBe(tree);
    expect(tree).toEqual({
      n: 7, s: "x", flag: true, none: undefined,
      a: Uint8Array.of(1, 2),
      apps: [{ aid: Uint8Array.of(0xa0, 0, 0, 0, 3), versions: [Uint8Array.of(0, 0x8c), Uint8Array.of(0, 0x96)] }, { aid: new Uint8Array(0) }],
    });
    const buffer = tree.a.buffer;
    expect(tree.apps[0].aid.buffer).toBe(buffer);
    expect(tree.apps[0].versions?.[1].buffer).toBe(buffer);
    expect(buffer.byteLength).toBe(2 + 5 + 2 + 2);
  });

  it("the views are distinct: writing one leaves the others as they were", () => {
    const tree = { a: Uint8Array.of(1, 1), b: Uint8Array.of(2, 2) };
    packBytes(tree);
    tree.a.fill(9);
    expect(tree.b).toEqual(Uint8Array.of(2, 2));
    expect(() => tree.a.set([1, 2, 3])).toThrow("out of bounds");
  });

  it("refuses a tree deeper than a configuration (a cycle is a caller's bug)", () => {
    const loop: Record<string, unknown> = { a: Uint8Array.of(1) };
    loop.self = loop;
    expect(() => packBytes(loop)).toThrow(/deeper/);
  });
});
