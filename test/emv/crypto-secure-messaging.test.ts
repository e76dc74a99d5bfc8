import { concat, fromHex, toHex } from "../../kernel/bytes";
import { retailMac, softwareCrypto as c } from "../../kernel/crypto";
import {
  decipherScriptData, EmvCryptoError, encipherScriptData, scriptCommandMac, securedScriptCommand, verifyScriptCommandMac,
} from "../../kernel/emv/crypto";

// EMV Book 2, section 9 prints no numeric example; these tests prove the rules of 9.2 and 9.3 by
// rebuilding the MAC input with the ISO 9797-1 retail MAC (itself tested against ANSI X9.19).
const SK = fromHex("0123456789ABCDEFFEDCBA9876543210");
const ATC = fromHex("0011");
const AC = fromHex("1122334455667788");
const HEADER = { cla: 0x84, ins: 0x24, p1: 0x00, p2: 0x02 };

describe("EMV Book 2, 9.2: secure messaging for integrity (issuer script commands)", () => {
  it("the MAC covers CLA INS P1 P2 Lc (data plus MAC), then ATC, application cryptogram, data; algorithm 3, padding 2", () => {
    const data = fromHex("A1B2C3D4E5F60718");
    const expected = retailMac(c, SK, concat(fromHex("8424000210"), ATC, AC, data), 2);
    expect(toHex(scriptCommandMac(c, SK, HEADER, data, ATC, AC))).toBe(toHex(expected));
  });

  it("a 4-byte MAC is the leftmost 4 bytes and changes Lc (Book 2, 9.2.2)", () => {
    const data = new Uint8Array(0);
    const header = { cla: 0x84, ins: 0x1e, p1: 0, p2: 0 };
    const expected = retailMac(c, SK, concat(fromHex("841E000004"), ATC, AC), 2).slice(0, 4);
    expect(toHex(scriptCommandMac(c, SK, header, data, ATC, AC, 4))).toBe(toHex(expected));
  });

  it("the secured command is CLA INS P1 P2 Lc data MAC, and the card's check gives the data back", () => {
    const data = fromHex("0102030405060708");
    const apdu = securedScriptCommand(c, SK, HEADER, data, ATC, AC);
    expect(toHex(apdu.subarray(0, 5))).toBe("8424000210");
    expect(toHex(verifyScriptCommandMac(c, SK, HEADER, apdu.subarray(5), ATC, AC)!)).toBe(toHex(data));
  });

  it("the card refuses the command under another ATC, cryptogram, header or a changed byte", () => {
    const apdu = securedScriptCommand(c, SK, HEADER, fromHex("0102030405060708"), ATC, AC);
    const body = apdu.subarray(5);
    expect(verifyScriptCommandMac(c, SK, HEADER, body, fromHex("0012"), AC)).toBeNull();
    expect(verifyScriptCommandMac(c, SK, HEADER, body, ATC, fromHex("1122334455667789"))).toBeNull();
    expect(verifyScriptCommandMac(c, SK, { ...HEADER, p2: 0x01 }, body, ATC, AC)).toBeNull();
    const changed = body.slice();
    changed[0] ^= 1;
    expect(verifyScriptCommandMac(c, SK, HEADER, changed, ATC, AC)).toBeNull();
    expect(verifyScriptCommandMac(c, SK, HEADER, body.subarray(0, 3), ATC, AC)).toBeNull();
  });

  it("refuses a MAC length outside 4 to 8 bytes", () => {
    expect(() => scriptCommandMac(c, SK, HEADER, new Uint8Array(0), ATC, AC, 3)).toThrow(EmvCryptoError);
    expect(() => scriptCommandMac(c, SK, HEADER, new Uint8Array(0), ATC, AC, 9)).toThrow(/4 to 8/);
  });
});

describe("EMV Book 2, 9.3: secure messaging for confidentiality", () => {
  it("whole blocks are TDES-ECB enciphered as they are", () => {
    const block = fromHex("241234FFFFFFFFFF");
    expect(toHex(encipherScriptData(c, SK, block))).toBe(toHex(c.tdesEcbEncrypt(SK, block)));
    expect(toHex(decipherScriptData(c, SK, encipherScriptData(c, SK, block)))).toBe("241234FFFFFFFFFF");
  });

  it("other lengths become LD || data || '80' || '00'... before encipherment (9.3.2)", () => {
    const data = fromHex("0102030405");
    expect(toHex(decipherScriptData(c, SK, encipherScriptData(c, SK, data)))).toBe("0501020304058000");
    expect(toHex(decipherScriptData(c, SK, encipherScriptData(c, SK, fromHex("01020304050607"))))).toBe("070102030405060780000000000000" + "00");
  });
});
