import type { CryptoProvider } from "../crypto/provider";
import {
  recoverIccPinEnciphermentKey,
  recoverIccPublicKey,
  recoverIssuerPublicKey,
  staticDataToAuthenticate,
  verifyCombinedSignature,
  verifyDynamicSignature,
  verifySignedStaticData,
  type CapkStore,
  type CdaInput,
  type CertificateRevocationList,
  type IssuerPublicKey,
  type OdaFailure,
  type OdaRecord,
  type RsaPublicKey,
} from "./oda";
import { decodePan } from "./numeric";
import { CardDataError } from "./errors";

// What the kernel's offline data authentication phase (Book 3, 10.3) and offline enciphered PIN
// (Book 3, 10.5.1) need from the Book 2 cryptography of kernel/emv/oda, composed into the steps the
// kernel runs: find the CA public key, recover the issuer key, then SDA or the ICC key. The kernel
// decides which method to run, sends the commands and sets the TVR; this only verifies, and answers
// with data: `{ ok: true, ... }` or `{ ok: false, reason, missing }` (`missing` when the card lacks
// a data object the method needs, which Book 3, 10.3 reports as "ICC data missing").

export type { RsaPublicKey };

export type OdaCheck<T> = ({ ok: true } & T) | { ok: false; reason: OdaFailure; missing: boolean };

/** The card's data for certificate recovery. */
export interface OdaCardData {
  /** Registered Application Provider Identifier: the first 5 bytes of the AID. */
  rid: Uint8Array;
  /** The card's data elements by tag ('8F', '90', '92', '9F32', '93', '9F46', '9F47', '9F48', '5A', '9F4A', '9F2D'...). */
  lookup(tag: string): Uint8Array | undefined;
  /** The records the AFL marks for offline data authentication, in the order read (Book 3, 10.3). */
  records: OdaRecord[];
  /** AIP '82', which the static data includes when '9F4A' asks for it. */
  aip: Uint8Array;
  /** Transaction Date '9A' (YYMMDD), for the expiry dates of Book 2, 5.3 and 6.4. */
  today: Uint8Array;
}

export interface OdaEnvironment {
  /** Book 2, section 5: SDA; the Data Authentication Code '9F45' on success. */
  staticDataAuthentication(card: OdaCardData): OdaCheck<{ dataAuthenticationCode: Uint8Array }>;
  /**
   * Book 2, 6.1-6.4: recovers the issuer and then the ICC public key, which authenticates the static
   * data (the first half of DDA and of CDA).
   */
  iccPublicKey(card: OdaCardData): OdaCheck<{ key: RsaPublicKey }>;
  /** Book 2, 6.5.2: the Signed Dynamic Application Data of INTERNAL AUTHENTICATE over the DDOL data. */
  verifyDynamicSignature(key: RsaPublicKey, sdad: Uint8Array, ddolData: Uint8Array): OdaCheck<{ iccDynamicNumber: Uint8Array }>;
  /** Book 2, 6.6.2: the Signed Dynamic Application Data of a GENERATE AC response. */
  verifyCombinedSignature(input: CdaInput): OdaCheck<{ iccDynamicNumber: Uint8Array; cryptogram: Uint8Array }>;
  /**
   * Book 2, 7.1: the key to encipher the offline PIN: the ICC PIN Encipherment Public Key ('9F2D')
   * when the card has one, else the ICC Public Key.
   */
  pinEnciphermentKey(card: OdaCardData): OdaCheck<{ key: RsaPublicKey }>;
}

/** Which offline data authentication the terminal chose (Book 3, 10.3) and what it learned. */
export interface OdaState {
  method: "none" | "sda" | "dda" | "cda";
  /** CDA: the ICC public key recovered before the first GENERATE AC (Book 2, 6.6). */
  iccPublicKey?: RsaPublicKey;
}

function failure(reason: OdaFailure): { ok: false; reason: OdaFailure; missing: boolean } {
  return { ok: false, reason, missing: reason === "data-missing" };
}

/** Book 2, 11.2.2: a CA public key past its expiry date (YYMMDD) is not used. */
function capkExpired(expiry: Uint8Array | undefined, today: Uint8Array): boolean {
  if (!expiry) return false;
  for (let i = 0; i < 3; i++) {
    if (today[i] !== expiry[i]) {
      // Book 4, 6.7.3 window on the year, then month and day (BCD compares as bytes).
      const a = i === 0 ? (today[0] < 0x50 ? 0x100 : 0) + today[0] : today[i];
      const b = i === 0 ? (expiry[0] < 0x50 ? 0x100 : 0) + expiry[0] : expiry[i];
      return a > b;
    }
  }
  return false;
}

/**
 * The Book 2 verifications over the terminal's CA public keys (loaded, checksums verified, from
 * data like ../shared/vectors/capk-test.json) and its certificate revocation list.
 */
export function createOdaEnvironment(c: CryptoProvider, capks: CapkStore, crl?: CertificateRevocationList): OdaEnvironment {
  function staticData(card: OdaCardData): OdaCheck<{ data: Uint8Array }> {
    const r = staticDataToAuthenticate(card.records, { sdaTagList: card.lookup("9F4A"), aip: card.aip });
    return r.ok ? r : failure(r.reason);
  }

  // Book 2, 5.2 and 5.3 (6.2 and 6.3 for DDA and CDA).
  function issuerKey(card: OdaCardData): OdaCheck<{ key: IssuerPublicKey }> {
    const index = card.lookup("8F");
    const certificate = card.lookup("90");
    const exponent = card.lookup("9F32");
    const panField = card.lookup("5A");
    if (!index || index.length !== 1 || !certificate || !exponent || !panField) return failure("data-missing");
    const capk = capks.find(card.rid, index[0]);
    if (!capk) return failure("capk-missing");
    if (capkExpired(capk.expiry, card.today)) return failure("capk-expired");
    let pan: string;
    try {
      pan = decodePan(panField);
    } catch (e) {
      if (e instanceof CardDataError) return failure("issuer-id-mismatch");
      throw e;
    }
    const input = { capk, certificate, exponent, pan, today: card.today, remainder: card.lookup("92"), crl };
    const r = recoverIssuerPublicKey(c, input);
    return r.ok ? r : failure(r.reason);
  }

  function iccKey(card: OdaCardData, issuer: IssuerPublicKey, data: Uint8Array): OdaCheck<{ key: RsaPublicKey }> {
    const certificate = card.lookup("9F46");
    const exponent = card.lookup("9F47");
    if (!certificate || !exponent) return failure("data-missing");
    const r = recoverIccPublicKey(c, {
      issuerKey: issuer, certificate, exponent, remainder: card.lookup("9F48"),
      panField: card.lookup("5A") as Uint8Array, today: card.today, staticData: data,
    });
    return r.ok ? r : failure(r.reason);
  }

  return {
    staticDataAuthentication(card) {
      const data = staticData(card);
      if (!data.ok) return data;
      const ssad = card.lookup("93");
      const issuer = issuerKey(card);
      if (!issuer.ok) return issuer;
      if (!ssad) return failure("data-missing");
      const r = verifySignedStaticData(c, issuer.key, ssad, data.data);
      return r.ok ? r : failure(r.reason);
    },
    iccPublicKey(card) {
      const data = staticData(card);
      if (!data.ok) return data;
      const issuer = issuerKey(card);
      if (!issuer.ok) return issuer;
      return iccKey(card, issuer.key, data.data);
    },
    verifyDynamicSignature(key, sdad, ddolData) {
      const r = verifyDynamicSignature(c, key, sdad, ddolData);
      return r.ok ? r : failure(r.reason);
    },
    verifyCombinedSignature(input) {
      const r = verifyCombinedSignature(c, input);
      return r.ok ? r : failure(r.reason);
    },
    pinEnciphermentKey(card) {
      const issuer = issuerKey(card);
      if (!issuer.ok) return issuer;
      const certificate = card.lookup("9F2D");
      if (certificate) {
        const exponent = card.lookup("9F2E");
        if (!exponent) return failure("data-missing");
        const r = recoverIccPinEnciphermentKey(c, {
          issuerKey: issuer.key, certificate, exponent, remainder: card.lookup("9F2F"),
          panField: card.lookup("5A") as Uint8Array, today: card.today,
        });
        return r.ok ? r : failure(r.reason);
      }
      // Book 2, 7.1: without a PIN encipherment key the ICC Public Key is used, recovered with the
      // static data as for DDA.
      const data = staticData(card);
      if (!data.ok) return data;
      return iccKey(card, issuer.key, data.data);
    },
  };
}
