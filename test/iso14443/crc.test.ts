import { appendCrc, checkCrc, crc } from "../../kernel/iso14443";
import { hex, toHex } from "./support";

// Published values: ISO/IEC 14443-3:2018, Annex B (examples of CRC_A and CRC_B coding), and the
// HLTA and RATS frames every ISO/IEC 14443 reader sends ('50 00 57 CD', 'E0 50 BC A5').
describe("ISO/IEC 14443-3 CRCs", () => {
  it.each([
    ["0000", "A01E"],
    ["1234", "26CF"],
  ])("CRC_A (Annex B.1): %s -> %s", (data, expected) => {
    expect(toHex(crc("A", hex(data)))).toBe(expected);
  });

  it.each([
    ["000000", "CCC6"],
    ["0FAAFF", "FCD1"],
  ])("CRC_B (Annex B.2): %s -> %s", (data, expected) => {
    expect(toHex(crc("B", hex(data)))).toBe(expected);
  });

  it("HLTA and RATS (FSDI 5, CID 0) carry the well-known CRC_A", () => {
    expect(toHex(appendCrc("A", hex("5000")))).toBe("500057CD");
    expect(toHex(appendCrc("A", hex("E050")))).toBe("E050BCA5");
  });

  it("checkCrc accepts a frame with its CRC and refuses one damaged bit or a frame too short", () => {
    expect(checkCrc("A", hex("500057CD"))).toBe(true);
    expect(checkCrc("A", hex("500157CD"))).toBe(false);
    expect(checkCrc("B", hex("0FAAFFFCD1"))).toBe(true);
    expect(checkCrc("B", hex("0FAAFFFCD0"))).toBe(false);
    expect(checkCrc("A", hex("57CD"))).toBe(false);
  });
});

describe("power-on known answers of the contactless line", () => {
  it("every iso14443 KAT passes", async () => {
    const { iso14443Kats } = await import("../../kernel/selftest/kat-iso14443");
    const { softwareCrypto } = await import("../../kernel/crypto");
    expect(iso14443Kats.length).toBeGreaterThan(3);
    for (const kat of iso14443Kats) expect([kat.name, kat.run(softwareCrypto)]).toEqual([kat.name, true]);
  });
});
