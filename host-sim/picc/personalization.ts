import { concat, fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { deriveIccMasterKey } from "../../kernel/emv/crypto";
import { encodeTlv } from "../../kernel/tlv";
import { simCaKeys, simIccKey, simIssuerKeys, type IccImage } from "../cards";
import { iccPublicKeyCertificate, issuerPublicKeyCertificate } from "../cards/certificates";
import { CDOL1, CDOL2_WITH_ISSUER_AUTHENTICATION, discretionary, track2Equivalent } from "../cards/personalization";
import type { RsaPrivateKey } from "../cards/rsa-private";
import type { ContactlessProfile } from "./profiles";

// Personalization of the contactless applications, from the same card data and keys as the contact
// chip (host-sim/cards): the PPSE (EMV Contactless Book B, 3.3.2), the application's FCI with the
// PDOL kernel 3 needs (Book C-3: the TTQ and the transaction data), the records, and the
// certificates. The contactless application has its own AIP, so its ICC Public Key Certificate
// covers its own static data (EMV Book 2, 6.4): signed here by the issuer key, once per process.
//
// Records (AFL):
//   SFI 1 record 1  track 2 equivalent data, cardholder name, track 1 discretionary data
//   SFI 2 record 1  PAN, dates, usage control, versions (kernel 2: CVM list, IACs, CDOLs)  [signed]
//   SFI 2 record 2  CA key index, issuer certificate, remainder, exponent, SDA tag list '82'
//   SFI 3 record 1  ICC certificate, exponent, remainder (when the card signs: fDDA or CDA)

export const PPSE = "2PAY.SYS.DDF01";

/** Kernel 3's PDOL: TTQ, amounts, country, TVR, currency, date, type, unpredictable number. */
export const QVSDC_PDOL = "9F66049F02069F03069F1A0295055F2A029A039C019F3704";

/** A contactless image: the contact image's shape, with the PPSE in place of the PSE. */
export interface ContactlessImage extends IccImage {
  ppseFci: Uint8Array;
  contactless: ContactlessProfile;
}

const tlv = (tag: string, value: Uint8Array | string): Uint8Array => encodeTlv(tag, typeof value === "string" ? fromHex(value) : value);
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const cn = (digits: string): Uint8Array => fromHex(digits.length % 2 === 0 ? digits : digits + "F");

/** AIP byte 1: DDA b6, cardholder verification b5, terminal risk management b4, on-device CVM b2, CDA b1; byte 2 b8: EMV mode (Book C-2). */
function aipFor(p: ContactlessProfile): Uint8Array {
  if (p.kernel === 3) return Uint8Array.of(p.odaKey ? 0x20 : 0x00, 0x00);
  return Uint8Array.of(0x18 | (p.odaKey ? 0x01 : 0) | (p.cdcvm ? 0x02 : 0), 0x80);
}

/** Kernel 2 cards: online PIN, signature, no CVM, each "if the terminal supports it" (Book 3, Annex C3). */
const MC_CONTACTLESS_CVM_LIST = "00000000" + "00000000" + "4203" + "5E03" + "1F03";

const cache = new Map<string, ContactlessImage>();

export function contactlessImage(p: ContactlessProfile): ContactlessImage {
  const cached = cache.get(p.id);
  if (cached) return cached;
  const profile = p.card;
  const app = profile.application;
  if (!app) throw new Error(`${p.id}: no chip application`);
  const c = softwareCrypto;
  const issuer = simIssuerKeys(app.issuerKeys);
  const ca = simCaKeys(issuer.rid);
  const aid = fromHex(app.aid);
  const aip = aipFor(p);
  const pdol = p.kernel === 3 ? fromHex(QVSDC_PDOL) : new Uint8Array(0);
  const signs = p.odaKey !== undefined;

  const entry = concat(tlv("4F", aid), tlv("50", ascii(app.label)), tlv("87", Uint8Array.of(app.priority)));
  const ppseFci = tlv("6F", concat(tlv("84", ascii(PPSE)), tlv("A5", tlv("BF0C", tlv("61", entry)))));
  const proprietary = [tlv("50", ascii(app.label)), tlv("87", Uint8Array.of(app.priority))];
  if (pdol.length > 0) proprietary.push(tlv("9F38", pdol));
  proprietary.push(tlv("5F2D", ascii("en")), tlv("9F11", "01"), tlv("9F12", ascii(app.preferredName)));
  const adfFci = tlv("6F", concat(tlv("84", aid), tlv("A5", concat(...proprietary))));

  const records = new Map<string, Uint8Array>();
  const first = [tlv("57", track2Equivalent(profile))];
  if (profile.cardholderName) first.push(tlv("5F20", ascii(profile.cardholderName)));
  first.push(tlv("9F1F", ascii(discretionary(profile))));
  records.set("1:1", tlv("70", concat(...first)));
  const signed = [
    tlv("5A", cn(profile.pan)), tlv("5F34", profile.panSequenceNumber), tlv("5F24", profile.expiry), tlv("5F25", profile.effective),
    tlv("5F28", profile.issuerCountry), tlv("9F07", "FF00"), tlv("9F08", app.applicationVersion), tlv("9F42", profile.currency),
  ];
  if (p.kernel === 2) {
    signed.push(
      tlv("8E", MC_CONTACTLESS_CVM_LIST), tlv("9F0D", app.iacDefault), tlv("9F0E", app.iacDenial), tlv("9F0F", app.iacOnline),
      tlv("8C", CDOL1), tlv("8D", CDOL2_WITH_ISSUER_AUTHENTICATION),
    );
  }
  const signedValue = concat(...signed);
  records.set("2:1", tlv("70", signedValue));
  let afl = "0801010010010100";
  let iccKey: RsaPrivateKey | undefined;
  if (signs) {
    afl = "080101001001020118010100";
    const issuerCert = issuerPublicKeyCertificate(ca.rsa, issuer.rsa, profile.pan.slice(0, 6), "1233", fromHex(app.issuerCertificateSerial));
    const certRecord = [tlv("8F", Uint8Array.of(ca.index)), tlv("90", issuerCert.certificate)];
    if (issuerCert.remainder.length > 0) certRecord.push(tlv("92", issuerCert.remainder));
    certRecord.push(tlv("9F32", issuerCert.exponent), tlv("9F4A", "82"));
    records.set("2:2", tlv("70", concat(...certRecord)));
    iccKey = simIccKey(p.odaKey as string);
    // Book 3, 10.3: the static data is SFI 2 record 1 without '70' and its length, then the AIP ('9F4A' = '82').
    const expiryMmyy = profile.expiry.slice(2, 4) + profile.expiry.slice(0, 2);
    const iccCert = iccPublicKeyCertificate(issuer.rsa, iccKey, profile.pan, expiryMmyy, fromHex("000002"), concat(signedValue, aip));
    const rec = [tlv("9F46", iccCert.certificate), tlv("9F47", iccCert.exponent)];
    if (iccCert.remainder.length > 0) rec.push(tlv("9F48", iccCert.remainder));
    records.set("3:1", tlv("70", concat(...rec)));
  }
  const contactlessApp = { ...app, oda: signs ? (p.kernel === 2 ? "cda" as const : "dda" as const) : "none" as const, offlineLimitMinor: p.offlineLimitMinor, responseFormat: 2 as const };
  const image: ContactlessImage = {
    profile, app: contactlessApp, aid, pseFci: ppseFci, pseRecords: [], adfFci, aip, afl: fromHex(afl), pdol,
    cdol1: fromHex(CDOL1), cdol2: fromHex(CDOL2_WITH_ISSUER_AUTHENTICATION), records,
    mkAc: deriveIccMasterKey(c, issuer.imkAc, profile.pan, profile.panSequenceNumber, "A"),
    mkSmi: deriveIccMasterKey(c, issuer.imkSmi, profile.pan, profile.panSequenceNumber, "A"),
    mkSmc: deriveIccMasterKey(c, issuer.imkSmc, profile.pan, profile.panSequenceNumber, "A"),
    iccKey, ppseFci, contactless: p,
  };
  cache.set(p.id, image);
  return image;
}
