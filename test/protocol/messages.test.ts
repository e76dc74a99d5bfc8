import { concat, fromHex, toHex } from "../../kernel/bytes";
import {
  checkMaskedPan, decodeDeviceInfo, decodeEvent, decodeMessage, decodeRequest, decodeResponse, encodeDeviceInfo, encodeEvent,
  encodeMessage, encodeRequest, encodeResponse, MessageError, REQUEST_CODES, TAG,
} from "../../kernel/protocol";
import { decodeTlv, encodeTlv } from "../../kernel/tlv";
import { loadVectors } from "../support/vectors";

// docs/protocol.md, "Messages" and "Fields".

const dolVector = loadVectors<{ dol: { data: Record<string, string> }[] }>("tlv-dol.json").dol[0].data;

describe("messages: fields that are EMV data elements are coded as EMV codes them", () => {
  it("start transaction: 9F02 / 9F03 n12, 5F2A n4, 9C n2 as in the EMV Book 3 5.4 vector", () => {
    const bytes = encodeRequest("start-transaction", 7, {
      amount: 123456789, otherAmount: 987654321, currency: 978, transactionType: "cashback",
    });
    const body = decodeTlv(bytes.subarray(3));
    const value = (tag: string) => toHex(body.find((n) => n.tag === tag)!.value);
    expect(value("9F02")).toBe(dolVector["9F02"]);
    expect(value("9F03")).toBe(dolVector["9F03"]);
    expect(value("5F2A")).toBe(dolVector["5F2A"]);
    expect(value("9C")).toBe(dolVector["9C"]);
    expect(Array.from(bytes.subarray(0, 3))).toEqual([1, REQUEST_CODES["start-transaction"], 7]);
    expect(decodeRequest(decodeMessage(bytes))).toEqual({
      type: "start-transaction", id: 7, body: { amount: 123456789, otherAmount: 987654321, currency: 978, transactionType: "cashback" },
    });
  });

  it("an amount of 13 digits does not fit n12 (message-field)", () => {
    expect(() => encodeRequest("start-transaction", 0, { amount: 1e12, currency: 978, transactionType: "purchase" }))
      .toThrow(expect.objectContaining({ code: "message-field" }));
  });
});

describe("messages: decoding rules", () => {
  const header = (type: number) => Uint8Array.of(1, type, 9);

  it("unknown tags are skipped: a newer phone may add optional fields", () => {
    const bytes = concat(header(REQUEST_CODES["set-time"]), encodeTlv(TAG.epochSeconds, fromHex("68F0A1B2")), encodeTlv("DF8E7F", fromHex("01")));
    expect(decodeRequest(decodeMessage(bytes))).toEqual({ type: "set-time", id: 9, body: { epochSeconds: 0x68f0a1b2 } });
  });

  it("a field given twice is malformed; a required field missing is malformed", () => {
    const twice = concat(header(REQUEST_CODES["set-time"]), encodeTlv(TAG.epochSeconds, fromHex("00000001")), encodeTlv(TAG.epochSeconds, fromHex("00000002")));
    expect(() => decodeRequest(decodeMessage(twice))).toThrow(expect.objectContaining({ code: "message-malformed" }));
    expect(() => decodeRequest(decodeMessage(header(REQUEST_CODES["set-time"])))).toThrow(expect.objectContaining({ code: "message-malformed" }));
  });

  it.each([
    ["a uint of the wrong length", encodeTlv(TAG.epochSeconds, fromHex("000001"))],
    ["a non-decimal n field", concat(encodeTlv("9F02", fromHex("00000000001A")), encodeTlv("5F2A", fromHex("0978")), encodeTlv("9C", fromHex("00")))],
    ["an unknown enumeration value", concat(encodeTlv("9F02", fromHex("000000000100")), encodeTlv("5F2A", fromHex("0978")), encodeTlv("9C", fromHex("31")))],
  ])("%s is message-field", (_name, body) => {
    const type = body[0] === 0xdf ? REQUEST_CODES["set-time"] : REQUEST_CODES["start-transaction"];
    expect(() => decodeRequest(decodeMessage(concat(header(type), body)))).toThrow(expect.objectContaining({ code: "message-field" }));
  });

  it("another protocol version is message-version; an unknown type is message-type; a body that is not BER-TLV is malformed", () => {
    expect(() => decodeMessage(Uint8Array.of(2, 1, 0))).toThrow(expect.objectContaining({ code: "message-version" }));
    expect(() => decodeRequest(decodeMessage(Uint8Array.of(1, 0x3f, 0)))).toThrow(expect.objectContaining({ code: "message-type" }));
    expect(() => decodeMessage(Uint8Array.of(1, 1, 0, 0x9f, 0x02, 0x06, 0x00))).toThrow(expect.objectContaining({ code: "message-malformed" }));
    expect(() => decodeMessage(Uint8Array.of(1, 1))).toThrow(MessageError);
  });

  it("a response that is not ok carries its status (and pairing attempts) but no body", () => {
    const r = decodeResponse(decodeMessage(encodeResponse("pair-confirm", 4, "pairingFailed", undefined, 2)));
    expect(r).toEqual({ type: "pair-confirm", id: 4, status: "pairingFailed", body: null, attemptsLeft: 2 });
    const ok = decodeResponse(decodeMessage(encodeResponse("start-transaction", 5, "ok", { transactionId: 77 })));
    expect(ok).toEqual({ type: "start-transaction", id: 5, status: "ok", body: { transactionId: 77 } });
    expect(() => decodeResponse(decodeMessage(encodeMessage(0x83, 0, encodeTlv(TAG.status, Uint8Array.of(0xee)))))).toThrow(expect.objectContaining({ code: "message-field" }));
  });

  it("each event kind needs its fields", () => {
    const bare = encodeMessage(0x40, 0, concat(encodeTlv(TAG.transactionId, fromHex("00000001")), encodeTlv(TAG.eventKind, Uint8Array.of(1))));
    expect(() => decodeEvent(decodeMessage(bare))).toThrow(expect.objectContaining({ code: "message-malformed" }));
    const e = decodeEvent(decodeMessage(encodeEvent(9, { kind: "pin-entry", digits: 3 })));
    expect(e).toEqual({ transactionId: 9, event: { kind: "pin-entry", digits: 3 } });
  });
});

describe("messages: no PAN in clear, either way", () => {
  it("a masked PAN shows at most the first six and the last four digits (PCI DSS 3.4)", () => {
    expect(() => checkMaskedPan("476173******0119")).not.toThrow();
    expect(() => checkMaskedPan("************0119")).not.toThrow();
    for (const bad of ["4761739001010119", "4761739*****0119", "476173******01190", "476173*****10119", "476173"]) {
      expect(() => checkMaskedPan(bad)).toThrow(expect.objectContaining({ code: "message-field" }));
    }
  });

  it("an outcome whose masked PAN shows the whole PAN does not encode, and does not decode", () => {
    const outcome = { kind: "outcome" as const, outcome: { result: "approved" as const, maskedPan: "4761739001010119", emvData: [] } };
    expect(() => encodeEvent(1, outcome)).toThrow(MessageError);
    const forged = encodeMessage(0x40, 0, concat(
      encodeTlv(TAG.transactionId, fromHex("00000001")), encodeTlv(TAG.eventKind, Uint8Array.of(5)), encodeTlv(TAG.outcome, Uint8Array.of(1)),
      encodeTlv(TAG.maskedPan, Uint8Array.from("4761739001010119", (c) => c.charCodeAt(0))),
    ));
    expect(() => decodeEvent(decodeMessage(forged))).toThrow(expect.objectContaining({ code: "message-field" }));
  });

  it.each(["5A", "57", "56", "9F6B", "5F20", "5F24", "DF8F02"])("EMV data in clear never carries %s", (tag) => {
    const outcome = { kind: "outcome" as const, outcome: { result: "approved" as const, emvData: [{ tag, value: fromHex("4761739001010119") }] } };
    expect(() => encodeEvent(1, outcome)).toThrow(expect.objectContaining({ code: "message-field" }));
    const forged = encodeMessage(0x40, 0, concat(
      encodeTlv(TAG.transactionId, fromHex("00000001")), encodeTlv(TAG.eventKind, Uint8Array.of(5)), encodeTlv(TAG.outcome, Uint8Array.of(1)),
      encodeTlv(TAG.emvData, encodeTlv(tag, fromHex("4761739001010119"))),
    ));
    expect(() => decodeEvent(decodeMessage(forged))).toThrow(expect.objectContaining({ code: "message-field" }));
  });
});

describe("device information characteristic", () => {
  it("holds model, serial, firmware and protocol versions in at most 128 bytes, and nothing else", () => {
    const bytes = encodeDeviceInfo({ model: "MPOS-R1", serial: "MPOSR1SIM0001", firmwareVersion: "1.0.0", protocolVersions: Uint8Array.of(1) });
    expect(bytes.length).toBeLessThanOrEqual(128);
    expect(decodeDeviceInfo(bytes)).toEqual({ model: "MPOS-R1", serial: "MPOSR1SIM0001", firmwareVersion: "1.0.0", protocolVersions: Uint8Array.of(1) });
    expect(() => decodeDeviceInfo(new Uint8Array(129))).toThrow(MessageError);
  });
});
