import { fromHex, toHex } from "../../kernel/bytes";
import { encodeCommandApdu, parseCommandApdu, parseResponseApdu } from "../../kernel/iso7816/apdu";
import { ApduFormatError, ProtocolError } from "../../kernel/iso7816/errors";

// Short APDUs (ISO/IEC 7816-4:2013, 5.1) and their cases (ISO/IEC 7816-3:2006, 12.1).

describe("command APDUs", () => {
  it("encodes SELECT of the PPSE '2PAY.SYS.DDF01' as a case 4 command (EMV contactless Book B)", () => {
    const apdu = encodeCommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: new TextEncoder().encode("2PAY.SYS.DDF01"), le: 256 });
    expect(toHex(apdu)).toBe("00A404000E325041592E5359532E444446303100");
  });

  it("12.1.3: the case follows from the length alone", () => {
    expect(parseCommandApdu(fromHex("00A40400")).case).toBe(1);
    expect(parseCommandApdu(fromHex("00B2010C00"))).toMatchObject({ case: 2, ne: 256 });
    expect(parseCommandApdu(fromHex("00B2010C1D"))).toMatchObject({ case: 2, ne: 29 });
    expect(parseCommandApdu(fromHex("0020008008241234FFFFFFFFFF"))).toMatchObject({ case: 3, ne: 0 });
    const c4 = parseCommandApdu(fromHex("00A4040002A00000"));
    expect(c4).toMatchObject({ case: 4, ne: 256 });
    expect(toHex(c4.data)).toBe("A000");
  });

  it("refuses a body that does not match Lc, extended lengths and INS 6X / 9X", () => {
    expect(() => parseCommandApdu(fromHex("00A4040003A000"))).toThrow(ApduFormatError);
    expect(() => parseCommandApdu(fromHex("00A40400000002"))).toThrow(/extended/);
    expect(() => parseCommandApdu(fromHex("00600000"))).toThrow(/procedure bytes/);
    expect(() => parseCommandApdu(fromHex("00910000"))).toThrow(ApduFormatError);
    expect(() => parseCommandApdu(fromHex("FFA40400"))).toThrow(/CLA/);
    expect(() => parseCommandApdu(fromHex("00A4"))).toThrow(/shorter than a header/);
  });

  it("refuses data over 255 bytes and Le outside 1..256 when encoding", () => {
    expect(() => encodeCommandApdu({ cla: 0, ins: 0xa4, p1: 0, p2: 0, data: new Uint8Array(256) })).toThrow(/255/);
    expect(() => encodeCommandApdu({ cla: 0, ins: 0xb2, p1: 1, p2: 0x0c, le: 0 })).toThrow(/Le/);
    expect(() => encodeCommandApdu({ cla: 0x100, ins: 0xb2, p1: 1, p2: 0x0c })).toThrow(/CLA/);
  });
});

describe("response APDUs", () => {
  it("splits data and SW1 SW2 (ISO/IEC 7816-4, 5.1.3)", () => {
    const r = parseResponseApdu(fromHex("6F108407A00000000310109000"));
    expect(toHex(r.data)).toBe("6F108407A0000000031010");
    expect(r.sw).toBe(0x9000);
    expect(() => parseResponseApdu(fromHex("90"))).toThrow(ProtocolError);
  });
});
