import { CryptoInputError, randomBytes, RANDOM_MAX_BYTES } from "../../kernel/crypto";
import type { RandomSource } from "../../hal/random";

/** A counting source: byte i of the stream is i mod 256, so every fill is visible. */
function countingSource(): RandomSource & { calls: number } {
  let next = 0;
  const s = {
    calls: 0,
    fill(bytes: Uint8Array) {
      s.calls++;
      for (let i = 0; i < bytes.length; i++) bytes[i] = next++ & 0xff;
    },
  };
  return s;
}

describe("random bytes from the HAL source", () => {
  it("returns exactly n bytes, all written by the source", () => {
    const src = countingSource();
    expect(Array.from(randomBytes(src, 4))).toEqual([0, 1, 2, 3]);
    expect(Array.from(randomBytes(src, 3))).toEqual([4, 5, 6]);
    expect(src.calls).toBe(2);
  });

  it("zero bytes is an empty array and does not call the source", () => {
    const src = countingSource();
    expect(randomBytes(src, 0).length).toBe(0);
    expect(src.calls).toBe(0);
  });

  it("refuses negative, fractional and oversized counts with code crypto-random", () => {
    for (const n of [-1, 1.5, NaN, RANDOM_MAX_BYTES + 1]) {
      expect(() => randomBytes(countingSource(), n)).toThrow(expect.objectContaining({ code: "crypto-random" }));
    }
  });

  it("refuses a missing source", () => {
    expect(() => randomBytes(undefined as unknown as RandomSource, 8)).toThrow(CryptoInputError);
    expect(() => randomBytes({} as RandomSource, 8)).toThrow(CryptoInputError);
  });
});
