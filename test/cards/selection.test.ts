import { fromHex, toHex } from "../../kernel/bytes";
import { createCard, PSE_NAME } from "../../host-sim/cards";
import { apdu, hex, readApplication, selectAid, send, value } from "./support/card-terminal";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("virtual card: application selection (Book 1, 12; Book 3, 6.5.11)", () => {
  it("SELECT '1PAY.SYS.DDF01' answers the PSE FCI with the directory SFI (tag 88)", () => {
    const { applet } = createCard("visa-cda");
    const r = send(applet!, apdu(0x00, 0xa4, 0x04, 0x00, ascii(PSE_NAME), 0));
    expect(r.sw).toBe(0x9000);
    expect(hex(value(r.tlv, "84"))).toBe(toHex(ascii(PSE_NAME)));
    expect(hex(value(r.tlv, "88"))).toBe("01");
  });

  it("READ RECORD of the PSE directory lists the application (tags 61, 4F, 50, 87)", () => {
    const { applet } = createCard("mc-dda");
    send(applet!, apdu(0x00, 0xa4, 0x04, 0x00, ascii(PSE_NAME), 0));
    const r = send(applet!, apdu(0x00, 0xb2, 0x01, 0x0c, undefined, 0));
    expect(r.sw).toBe(0x9000);
    expect(hex(value(r.tlv, "4F"))).toBe("A0000000041010");
    expect(hex(value(r.tlv, "87"))).toBe("01");
    expect(send(applet!, apdu(0x00, 0xb2, 0x02, 0x0c, undefined, 0)).sw).toBe(0x6a83);
  });

  it("SELECT by AID answers the FCI with label, priority, PDOL and language", () => {
    const r = selectAid(createCard("visa-cda").applet!, "A0000000031010");
    expect(r.sw).toBe(0x9000);
    expect(hex(value(r.tlv, "84"))).toBe("A0000000031010");
    expect(String.fromCharCode(...value(r.tlv, "50")!)).toBe("VISA CREDIT");
    expect(hex(value(r.tlv, "9F38"))).toBe("9F1A025F2A02");
    expect(String.fromCharCode(...value(r.tlv, "5F2D")!)).toBe("en");
  });

  it("partial AID selection: the first 5 bytes (RID) select the application; P2 '02' (next) finds no other", () => {
    const { applet } = createCard("amex-online-pin");
    expect(send(applet!, apdu(0x00, 0xa4, 0x04, 0x00, fromHex("A000000025"), 0)).sw).toBe(0x9000);
    expect(send(applet!, apdu(0x00, 0xa4, 0x04, 0x02, fromHex("A000000025"), 0)).sw).toBe(0x6a82);
  });

  it("an AID the card does not have is '6A82'", () => {
    expect(selectAid(createCard("visa-cda").applet!, "A0000000041010").sw).toBe(0x6a82);
  });
});

describe("virtual card: GET PROCESSING OPTIONS and READ RECORD (Book 3, 6.5.8, 6.5.11, 10.2)", () => {
  it("format 1 ('80' AIP AFL) for the Visa profile, format 2 ('77' with 82, 94) for Mastercard", () => {
    const visa = readApplication(createCard("visa-cda").applet!, "A0000000031010");
    expect(visa.gpo.tlv[0].tag).toBe("80");
    expect(hex(visa.aip)).toBe("3D00");
    const mc = readApplication(createCard("mc-cda-offline-pin").applet!, "A0000000041010");
    expect(mc.gpo.tlv[0].tag).toBe("77");
    expect(hex(mc.aip)).toBe("3900");
  });

  it("every record the AFL names is a '70' template; SFI 2 record 1 is the one for ODA", () => {
    const r = readApplication(createCard("visa-cda").applet!, "A0000000031010");
    expect(hex(r.afl)).toBe("080101001001020118010100");
    expect(r.records.map((x) => `${x.sfi}/${x.oda}`)).toEqual(["1/false", "2/true", "2/false", "3/false"]);
    for (const x of r.records) expect(x.record[0]).toBe(0x70);
    expect(hex(r.data.get("5A"))).toBe("4761739001010010");
    expect(hex(r.data.get("5F24"))).toBe("301231");
    expect(hex(r.data.get("8E"))).toBe("0000000000000000" + "4203" + "5E03" + "1F03");
  });

  it("the ATC counts transactions: GPO increments it (GET DATA 9F36)", () => {
    const { applet } = createCard("mc-dda");
    const atc = () => hex(value(send(applet!, apdu(0x80, 0xca, 0x9f, 0x36, undefined, 0)).tlv, "9F36"));
    readApplication(applet!, "A0000000041010");
    const first = atc();
    readApplication(applet!, "A0000000041010");
    expect(parseInt(atc(), 16)).toBe(parseInt(first, 16) + 1);
  });

  it("PDOL data of the wrong length is '6700'; GPO twice in one selection is '6985'", () => {
    const { applet } = createCard("visa-cda");
    selectAid(applet!, "A0000000031010");
    expect(send(applet!, apdu(0x80, 0xa8, 0x00, 0x00, fromHex("8300"), 0)).sw).toBe(0x6700);
    expect(send(applet!, apdu(0x80, 0xa8, 0x00, 0x00, fromHex("830408400840"), 0)).sw).toBe(0x9000);
    expect(send(applet!, apdu(0x80, 0xa8, 0x00, 0x00, fromHex("830408400840"), 0)).sw).toBe(0x6985);
  });

  it("commands before a selection, unknown instructions and classes are refused", () => {
    const { applet } = createCard("visa-cda");
    expect(send(applet!, apdu(0x80, 0xa8, 0x00, 0x00, fromHex("8300"), 0)).sw).toBe(0x6985);
    expect(send(applet!, "00FA000000").sw).toBe(0x6d00);
    expect(send(applet!, "A0A4040000").sw).toBe(0x6e00);
    expect(send(applet!, "00A4").sw).toBe(0x6700);
  });

  it("reset forgets the selection", () => {
    const { applet } = createCard("visa-cda");
    selectAid(applet!, "A0000000031010");
    applet!.reset("warm");
    expect(send(applet!, apdu(0x00, 0xb2, 0x01, 0x0c, undefined, 0)).sw).toBe(0x6985);
  });
});
