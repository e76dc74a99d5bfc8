import {
  anticollisionFrame, attribFrame, bcc, blockTimeoutUs, chooseBitRate, cyclesToUs, encodeBlock, fwtCycles, parseAtqa,
  parseAtqb, parseAts, parseBlock, parseSak, ppsFrame, ratsFrame, RfFrameError, RfProtocolError, requestBFrame,
  requestFrame, selectFrame, sfgtCycles, uidCascade, wtxMultiplier,
} from "../../kernel/iso14443";
import { hex, toHex } from "./support";

describe("ISO/IEC 14443-3 Type A frames", () => {
  it("6.3.1: REQA is '26' and WUPA '52', short frames", () => {
    expect(toHex(requestFrame(false))).toBe("26");
    expect(toHex(requestFrame(true))).toBe("52");
  });

  it("6.5.2.1: ATQA b8-b7 give the UID size, b5-b1 the bit frame anticollision; '11' is reserved", () => {
    expect(parseAtqa(hex("0400"))).toMatchObject({ uidSize: "single", bitFrameAnticollision: 4 });
    expect(parseAtqa(hex("4400"))).toMatchObject({ uidSize: "double" });
    expect(parseAtqa(hex("8100"))).toMatchObject({ uidSize: "triple" });
    expect(() => parseAtqa(hex("C100"))).toThrow(RfFrameError);
    expect(() => parseAtqa(hex("0000"))).toThrow(RfFrameError);
    expect(() => parseAtqa(hex("04"))).toThrow(RfFrameError);
  });

  it("6.5.3.2: NVB counts the bytes sent (SEL, NVB included) in b8-b5 and the extra bits in b4-b1", () => {
    expect(toHex(anticollisionFrame(1, new Uint8Array(0), 0).frame)).toBe("9320");
    const f = anticollisionFrame(2, hex("A5"), 5);
    expect(toHex(f.frame)).toBe("952505");
    expect(f.txBits).toBe(21);
    expect(toHex(anticollisionFrame(3, hex("01020304"), 32).frame)).toBe("976001020304");
  });

  it("6.5.3.3: SELECT carries NVB '70', the UID CLn and BCC, the XOR of its four bytes", () => {
    expect(bcc(hex("88041234"))).toBe(0x88 ^ 0x04 ^ 0x12 ^ 0x34);
    expect(toHex(selectFrame(1, hex("01020304")))).toBe("93700102030404");
  });

  it("6.5.3.4: SAK b3 says the UID is not complete, b6 that the PICC speaks ISO/IEC 14443-4", () => {
    expect(parseSak(hex("04"))).toEqual({ cascade: true, isoDep: false });
    expect(parseSak(hex("20"))).toEqual({ cascade: false, isoDep: true });
    expect(parseSak(hex("08"))).toEqual({ cascade: false, isoDep: false });
  });

  it("6.5.4: a double UID starts with the cascade tag '88' at level 1, a triple one at levels 1 and 2", () => {
    expect(uidCascade(hex("04112233445566")).map(toHex)).toEqual(["88041122", "33445566"]);
    expect(uidCascade(hex("0102030405060708090A")).map(toHex)).toEqual(["88010203", "88040506", "0708090A"]);
  });
});

describe("ISO/IEC 14443-4 activation frames", () => {
  it("5.1: RATS is 'E0' then FSDI (b8-b5) and CID (b4-b1)", () => {
    expect(toHex(ratsFrame(8, 0))).toBe("E080");
    expect(toHex(ratsFrame(5, 1))).toBe("E051");
  });

  it("5.2: an ATS with TA, TB, TC and historical bytes ('06 75 77 81 02 80')", () => {
    const ats = parseAts(hex("067577810280"));
    expect(ats).toMatchObject({ fsci: 5, fsc: 64, fwi: 8, sfgi: 1, cidSupported: true, nadSupported: false });
    expect(ats.bitRates).toEqual({ sameBothWays: false, piccToPcd: [1, 2, 4, 8], pcdToPicc: [1, 2, 4, 8] });
    expect(toHex(ats.historicalBytes)).toBe("80");
  });

  it("5.2.3-5.2.6: absent interface bytes take their defaults (FSCI 2, 106 kbit/s, FWI 4, SFGI 0, CID)", () => {
    expect(parseAts(hex("01"))).toMatchObject({ fsci: 2, fsc: 32, fwi: 4, sfgi: 0, cidSupported: true, nadSupported: false });
    expect(parseAts(hex("0208"))).toMatchObject({ fsci: 8, fsc: 256, fwi: 4 });
  });

  it("RFU values are read leniently: FWI 15 as 4, SFGI 15 as 0, TA(1) b4 as 106 kbit/s only", () => {
    const ats = parseAts(hex("04380FFF"));
    expect(ats).toMatchObject({ fwi: 4, sfgi: 0 });
    expect(ats.bitRates).toEqual({ sameBothWays: true, piccToPcd: [1], pcdToPicc: [1] });
  });

  it("5.2: a TL that is not the length received, or a T0 announcing bytes that are missing, is refused", () => {
    expect(() => parseAts(hex("057800"))).toThrow(RfFrameError);
    expect(() => parseAts(hex("0278"))).toThrow(RfFrameError);
  });

  it("5.3: PPS 'D0' 11 with DSI in b4-b3 and DRI in b2-b1; the fastest common rate is chosen", () => {
    const ats = parseAts(hex("067577810280"));
    const choice = chooseBitRate(ats.bitRates, [106, 212, 424]);
    expect(choice).toMatchObject({ dsi: 2, dri: 2, txKbps: 424, rxKbps: 424 });
    expect(toHex(ppsFrame(0, choice))).toBe("D0110A");
    expect(chooseBitRate(ats.bitRates, [106])).toMatchObject({ dsi: 0, dri: 0 });
    // b8 of TA(1): the same divisor both ways.
    expect(chooseBitRate(parseAts(hex("0318B1")).bitRates, [106, 212, 424, 848])).toMatchObject({ dsi: 1, dri: 1 });
  });

  it("7.2: FWT = 256 x 16 / fc x 2^FWI: 4.8 ms at the default FWI 4; SFGT likewise, 0 for SFGI 0", () => {
    expect(cyclesToUs(fwtCycles(4))).toBeCloseTo(4833, 0);
    expect(cyclesToUs(fwtCycles(0))).toBeCloseTo(302, 0);
    expect(cyclesToUs(fwtCycles(14)) / 1000).toBeCloseTo(4949, 0);
    expect(fwtCycles(15)).toBe(fwtCycles(4));
    expect(sfgtCycles(0)).toBe(0);
    expect(sfgtCycles(1)).toBe(8192);
    // The PCD listens FWT x WTXM + deltaFWT (49 152 / fc).
    expect(blockTimeoutUs(4, 2)).toBeCloseTo(cyclesToUs(2 * 65536 + 49152), 3);
  });
});

describe("ISO/IEC 14443-3 Type B frames", () => {
  it("7.7: REQB and WUPB ('05' APf, AFI '00', PARAM b4 for WUPB, one slot)", () => {
    expect(toHex(requestBFrame(false))).toBe("050000");
    expect(toHex(requestBFrame(true))).toBe("050008");
  });

  it("7.9: the ATQB gives PUPI, bit rates, Max_Frame_Size, Protocol_Type, FWI and FO", () => {
    const a = parseAtqb(hex("50" + "11223344" + "00000000" + "33" + "81" + "71"));
    expect(toHex(a.pupi)).toBe("11223344");
    expect(a).toMatchObject({ fsci: 8, fsc: 256, isoDep: true, fwi: 7, cidSupported: true, nadSupported: false, sfgi: 0 });
    expect(a.bitRates).toEqual({ sameBothWays: false, piccToPcd: [1, 2, 4], pcdToPicc: [1, 2, 4] });
    expect(() => parseAtqb(hex("51" + "00".repeat(11)))).toThrow(RfFrameError);
    expect(() => parseAtqb(hex("50" + "00".repeat(5)))).toThrow(RfFrameError);
  });

  it("7.10: ATTRIB carries the PUPI, Param 2 with DSI, DRI and FSDI, Param 3 b1 and the CID", () => {
    expect(toHex(attribFrame(hex("11223344"), 8, 1, 2, 0))).toBe("1D11223344006801" + "00");
  });
});

describe("ISO/IEC 14443-4 blocks (7.1.1)", () => {
  it("codes the PCB of I-, R- and S-blocks", () => {
    expect(toHex(encodeBlock({ type: "I", blockNumber: 0, chaining: false, inf: hex("00A4") }))).toBe("0200A4");
    expect(toHex(encodeBlock({ type: "I", blockNumber: 1, chaining: true, inf: hex("") }))).toBe("13");
    expect(toHex(encodeBlock({ type: "R", ack: true, blockNumber: 1 }))).toBe("A3");
    expect(toHex(encodeBlock({ type: "R", ack: false, blockNumber: 0 }))).toBe("B2");
    expect(toHex(encodeBlock({ type: "S", command: "deselect", inf: new Uint8Array(0) }))).toBe("C2");
    expect(toHex(encodeBlock({ type: "S", command: "wtx", inf: hex("01") }))).toBe("F201");
    expect(toHex(encodeBlock({ type: "I", blockNumber: 0, chaining: false, cid: 3, inf: hex("AA") }))).toBe("0A03AA");
  });

  it("parses the blocks back, CID included", () => {
    expect(parseBlock(hex("0A03AA"))).toEqual({ type: "I", blockNumber: 0, chaining: false, cid: 3, inf: hex("AA") });
    expect(parseBlock(hex("B3"))).toEqual({ type: "R", ack: false, blockNumber: 1 });
    expect(parseBlock(hex("F23B"))).toMatchObject({ type: "S", command: "wtx" });
  });

  it("7.5.4.2: an invalid PCB, a missing CID, an R-block with INF, a WTX without INF are protocol errors", () => {
    for (const bad of ["42", "22", "08", "A2FF", "F2", "C201", "D2", "E2"]) {
      expect(() => parseBlock(hex(bad))).toThrow(RfProtocolError);
    }
  });

  it("7.3: WTXM is b6-b1 of the S(WTX) INF, 1 to 59", () => {
    expect(wtxMultiplier(hex("C1"))).toBe(1);
    expect(wtxMultiplier(hex("3B"))).toBe(59);
    expect(() => wtxMultiplier(hex("00"))).toThrow(RfProtocolError);
    expect(() => wtxMultiplier(hex("3C"))).toThrow(RfProtocolError);
  });
});
