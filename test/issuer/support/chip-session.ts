// Drives a virtual card through the card side of a transaction up to the first GENERATE AC and
// collects the request data an online authorization carries (test helper, no EMV rules of its own).
import { fromHex, toHex } from "../../../kernel/bytes";
import { createCard, type VirtualCard } from "../../../host-sim/cards";
import { apdu, dolData, readApplication, send, value, type Answer, type ReadApplication } from "../../cards/support/card-terminal";

const AIDS: Record<string, string> = { visa: "A0000000031010", mastercard: "A0000000041010", amex: "A00000002501" };

export interface ChipSession {
  card: VirtualCard;
  app: ReadApplication;
  terminal: Record<string, string>;
  first: Answer;
  /** Tag -> value of the first GENERATE AC response (format 1 split into its elements). */
  response: Map<string, Uint8Array>;
}

export function firstGenerateAc(id: string, amount = "000000001234", p1 = 0x80, terminal: Record<string, string> = {}): ChipSession {
  const card = createCard(id);
  const app = readApplication(card.applet!, AIDS[card.profile.scheme], { "9F1A": "0840", "5F2A": "0840", "9F35": "22" });
  const t: Record<string, string> = {
    "9F02": amount, "9F03": "000000000000", "9F1A": "0840", "95": "0000008000", "5F2A": "0840", "9A": "250615", "9C": "00",
    "9F37": "11223344", "9F35": "22", "9F34": "420300", ...terminal,
  };
  const cdol1 = app.data.get("8C")!;
  const first = send(card.applet!, apdu(0x80, 0xae, p1, 0x00, dolData(cdol1, t), 0));
  const response = new Map<string, Uint8Array>();
  if (first.tlv[0]?.tag === "80") {
    const v = first.tlv[0].value;
    response.set("9F27", v.slice(0, 1));
    response.set("9F36", v.slice(1, 3));
    response.set("9F26", v.slice(3, 11));
    response.set("9F10", v.slice(11));
  } else {
    for (const t2 of first.tlv[0]?.children ?? []) response.set(t2.tag, t2.value);
  }
  return { card, app, terminal: t, first, response };
}

/** The ICC data of the authorization request (ISO 8583 field 55 style). */
export function requestIccData(s: ChipSession): Record<string, Uint8Array | undefined> {
  const t = (tag: string) => (s.terminal[tag] ? fromHex(s.terminal[tag]) : undefined);
  return {
    "9F26": s.response.get("9F26"), "9F27": s.response.get("9F27"), "9F10": s.response.get("9F10"), "9F36": s.response.get("9F36"),
    "9F37": t("9F37"), "95": t("95"), "9A": t("9A"), "9C": t("9C"), "9F02": t("9F02"), "9F03": t("9F03"), "5F2A": t("5F2A"),
    "82": s.app.aip, "9F1A": t("9F1A"), "5F34": s.app.data.get("5F34"),
  };
}

/** The sensitive card data the envelope carries for a chip transaction. */
export function chipSensitiveItems(s: ChipSession) {
  return ["5A", "57", "5F24", "5F20"].filter((tag) => s.app.data.has(tag)).map((tag) => ({ tag, value: s.app.data.get(tag)!.slice() }));
}

export function secondGenerateAc(s: ChipSession, values: Record<string, string>, p1 = 0x40): Answer {
  const cdol2 = s.app.data.get("8D")!;
  return send(s.card.applet!, apdu(0x80, 0xae, p1, 0x00, dolData(cdol2, { "95": s.terminal["95"], "9F37": "55667788", ...values }), 0));
}

export function cidOf(a: Answer): number {
  if (a.tlv[0]?.tag === "80") return a.tlv[0].value[0];
  return value(a.tlv, "9F27")![0];
}

export const hexOf = (b?: Uint8Array) => (b ? toHex(b) : "");
