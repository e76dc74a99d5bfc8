// Personalization: from a card profile to the data a chip card carries (its "image"), as an issuer's
// personalization bureau would write it: the PSE directory, the application's FCI, the records the
// AFL points to, the certificates, and the card's secret keys.
//
// File layout of every EMV application here (AFL, Book 3, 10.2):
//   SFI 1 record 1  track 2 equivalent data, cardholder name, track 1 discretionary data
//   SFI 2 record 1  PAN, dates, usage control, CVM list, IACs, CDOLs   (signed: ODA record)
//   SFI 2 record 2  CA key index, issuer certificate, remainder, exponent, DDOL, SDA tag list
//   SFI 3 record 1  ICC certificate, exponent, remainder (DDA/CDA) or Signed Static Data (SDA)
// The static data to be authenticated is SFI 2 record 1 (without its '70' tag and length) and the
// AIP (Book 3, 10.3, with the SDA Tag List '82').

import { concat, fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { deriveIccMasterKey } from "../../kernel/emv/crypto";
import { encodeTlv } from "../../kernel/tlv";
import {
  iccPublicKeyCertificate, issuerPublicKeyCertificate, signedStaticApplicationData,
} from "./certificates";
import { simCaKeys, simIccKey, simIssuerKeys } from "./keys";
import type { CardProfile, ChipApplication } from "./profiles";
import type { RsaPrivateKey } from "./rsa-private";

export const PSE_NAME = "1PAY.SYS.DDF01";

/** AIP byte 1, Book 3 Annex C1. */
const AIP_SDA = 0x40;
const AIP_DDA = 0x20;
const AIP_CARDHOLDER_VERIFICATION = 0x10;
const AIP_TERMINAL_RISK_MANAGEMENT = 0x08;
const AIP_ISSUER_AUTHENTICATION = 0x04;
const AIP_CDA = 0x01;

/** CDOL1: the Book 2 Table 25 data, then terminal type, DAC, ICC dynamic number, CVM results. */
export const CDOL1 = "9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F3403";
/** CDOL2 when issuer authentication comes in EXTERNAL AUTHENTICATE (Book 3, 6.5.4). */
export const CDOL2_EXTERNAL_AUTHENTICATE = "8A0295059F37049F4C08";
/** CDOL2 when the Issuer Authentication Data (ARPC method 2: 8 bytes) comes in GENERATE AC. */
export const CDOL2_WITH_ISSUER_AUTHENTICATION = "8A02910895059F3704";
export const DDOL = "9F3704";

export interface IccImage {
  profile: CardProfile;
  app: ChipApplication;
  aid: Uint8Array;
  pseFci: Uint8Array;
  pseRecords: Uint8Array[];
  adfFci: Uint8Array;
  aip: Uint8Array;
  afl: Uint8Array;
  pdol: Uint8Array;
  cdol1: Uint8Array;
  cdol2: Uint8Array;
  /** "sfi:record" -> the record ('70' template). */
  records: Map<string, Uint8Array>;
  /** The card's secrets. */
  mkAc: Uint8Array;
  mkSmi: Uint8Array;
  mkSmc: Uint8Array;
  iccKey?: RsaPrivateKey;
}

const tlv = (tag: string, value: Uint8Array | string): Uint8Array =>
  encodeTlv(tag, typeof value === "string" ? fromHex(value) : value);
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** Digits packed two a byte, right-padded with 'F' (cn format, Book 3 Annex A). */
function cn(digits: string): Uint8Array {
  return fromHex(digits.length % 2 === 0 ? digits : digits + "F");
}

function aipFor(app: ChipApplication): Uint8Array {
  let b1 = AIP_CARDHOLDER_VERIFICATION | AIP_TERMINAL_RISK_MANAGEMENT;
  if (app.oda === "sda") b1 |= AIP_SDA;
  if (app.oda === "dda" || app.oda === "cda") b1 |= AIP_DDA;
  if (app.oda === "cda") b1 |= AIP_CDA;
  if (app.issuerAuthentication === "external-authenticate") b1 |= AIP_ISSUER_AUTHENTICATION;
  return Uint8Array.of(b1, 0x00);
}

/** Book 3, Annex C3: amount X, amount Y (both 0), then the rules. */
function cvmList(app: ChipApplication): Uint8Array {
  const out = new Uint8Array(8 + 2 * app.cvmList.length);
  app.cvmList.forEach((r, i) => {
    out[8 + 2 * i] = r.method | (r.applyNext ? 0x40 : 0);
    out[9 + 2 * i] = r.condition;
  });
  return out;
}

/** Track 2 Equivalent Data (tag 57, Book 3 Annex A): PAN 'D' YYMM service code discretionary, 'F'-padded. */
export function track2Equivalent(p: CardProfile): Uint8Array {
  return cn(`${p.pan}D${p.expiry.slice(0, 4)}${p.serviceCode}${discretionary(p)}`);
}

/** The simulator's discretionary data on track 2 and in tag 57: PVKI 1, then a fixed test filler. */
export function discretionary(p: CardProfile): string {
  return `1${p.pan.slice(-4)}00000`;
}

const issuerCache = new Map<string, { certificate: Uint8Array; remainder: Uint8Array; exponent: Uint8Array }>();
const imageCache = new Map<string, IccImage>();

/** The issuer certificate of an issuer key under the simulator CA of its RID (cached per process). */
function issuerCertificate(app: ChipApplication, issuerIdDigits: string) {
  const key = `${app.issuerKeys}/${app.issuerCertificateSerial}/${issuerIdDigits}`;
  let cert = issuerCache.get(key);
  if (!cert) {
    const issuer = simIssuerKeys(app.issuerKeys);
    const ca = simCaKeys(issuer.rid);
    cert = issuerPublicKeyCertificate(ca.rsa, issuer.rsa, issuerIdDigits, "1233", fromHex(app.issuerCertificateSerial));
    issuerCache.set(key, cert);
  }
  return cert;
}

/** The chip image of a profile with a working chip; built once per process (RSA signing is slow). */
export function personalize(profile: CardProfile): IccImage {
  const cached = imageCache.get(profile.id);
  if (cached) return cached;
  const app = profile.application;
  if (!app) throw new Error(`card ${profile.id} has no chip application`);
  const c = softwareCrypto;
  const issuer = simIssuerKeys(app.issuerKeys);
  const ca = simCaKeys(issuer.rid);
  const aid = fromHex(app.aid);
  const aip = aipFor(app);
  const pdol = app.pdol ? fromHex(app.pdol) : new Uint8Array(0);
  const cdol1 = fromHex(CDOL1);
  const cdol2 = fromHex(app.issuerAuthentication === "second-generate-ac" ? CDOL2_WITH_ISSUER_AUTHENTICATION : CDOL2_EXTERNAL_AUTHENTICATE);
  const afl = fromHex(app.oda === "none" ? "080101001001020100" : "080101001001020118010100");

  // PSE (Book 1, 12.2.2 and 12.2.3): FCI with the directory's SFI, one directory record.
  const pseFci = tlv("6F", concat(tlv("84", ascii(PSE_NAME)), tlv("A5", concat(tlv("88", "01"), tlv("5F2D", ascii("en"))))));
  const pseRecords = [tlv("70", tlv("61", concat(tlv("4F", aid), tlv("50", ascii(app.label)), tlv("87", Uint8Array.of(app.priority)))))];

  // ADF FCI (Book 1, 12.2.4, Table 45).
  const proprietary = [tlv("50", ascii(app.label)), tlv("87", Uint8Array.of(app.priority))];
  if (pdol.length > 0) proprietary.push(tlv("9F38", pdol));
  proprietary.push(tlv("5F2D", ascii("en")), tlv("9F11", "01"), tlv("9F12", ascii(app.preferredName)));
  const adfFci = tlv("6F", concat(tlv("84", aid), tlv("A5", concat(...proprietary))));

  const records = new Map<string, Uint8Array>();
  records.set("1:1", tlv("70", concat(
    tlv("57", track2Equivalent(profile)),
    tlv("5F20", ascii(profile.cardholderName)),
    tlv("9F1F", ascii(discretionary(profile))),
  )));
  const odaRecordValue = concat(
    tlv("5A", cn(profile.pan)), tlv("5F34", profile.panSequenceNumber), tlv("5F24", profile.expiry),
    tlv("5F25", profile.effective), tlv("5F28", profile.issuerCountry), tlv("9F07", "FF00"),
    tlv("9F08", app.applicationVersion), tlv("9F42", profile.currency), tlv("5F30", "0" + profile.serviceCode),
    tlv("8E", cvmList(app)), tlv("9F0D", app.iacDefault), tlv("9F0E", app.iacDenial), tlv("9F0F", app.iacOnline),
    tlv("8C", cdol1), tlv("8D", cdol2), tlv("9F14", "05"), tlv("9F23", "0A"),
  );
  records.set("2:1", tlv("70", odaRecordValue));
  // Book 3, 10.3: records from SFI 1-10 enter without tag and length; then the AIP (9F4A = '82').
  const staticData = concat(odaRecordValue, aip);

  const issuerIdDigits = profile.pan.slice(0, 6);
  const issuerCert = issuerCertificate(app, issuerIdDigits);
  const certRecord = [tlv("8F", Uint8Array.of(ca.index)), tlv("90", issuerCert.certificate)];
  if (issuerCert.remainder.length > 0) certRecord.push(tlv("92", issuerCert.remainder));
  certRecord.push(tlv("9F32", issuerCert.exponent));
  if (app.oda === "dda" || app.oda === "cda") certRecord.push(tlv("9F49", DDOL));
  certRecord.push(tlv("9F4A", "82"));
  records.set("2:2", tlv("70", concat(...certRecord)));

  let iccKey: RsaPrivateKey | undefined;
  if (app.oda === "sda") {
    records.set("3:1", tlv("70", tlv("93", signedStaticApplicationData(issuer.rsa, fromHex("DAC1"), staticData))));
  } else if (app.oda === "dda" || app.oda === "cda") {
    if (!app.iccKey) throw new Error(`card ${profile.id}: ${app.oda} needs an ICC key`);
    iccKey = simIccKey(app.iccKey);
    const expiryMmyy = profile.expiry.slice(2, 4) + profile.expiry.slice(0, 2);
    const iccCert = iccPublicKeyCertificate(issuer.rsa, iccKey, profile.pan, expiryMmyy, fromHex("000001"), staticData);
    const rec = [tlv("9F46", iccCert.certificate), tlv("9F47", iccCert.exponent)];
    if (iccCert.remainder.length > 0) rec.push(tlv("9F48", iccCert.remainder));
    records.set("3:1", tlv("70", concat(...rec)));
  }

  const image: IccImage = {
    profile, app, aid, pseFci, pseRecords, adfFci, aip, afl, pdol, cdol1, cdol2, records,
    mkAc: deriveIccMasterKey(c, issuer.imkAc, profile.pan, profile.panSequenceNumber, "A"),
    mkSmi: deriveIccMasterKey(c, issuer.imkSmi, profile.pan, profile.panSequenceNumber, "A"),
    mkSmc: deriveIccMasterKey(c, issuer.imkSmc, profile.pan, profile.panSequenceNumber, "A"),
    iccKey,
  };
  imageCache.set(profile.id, image);
  return image;
}
