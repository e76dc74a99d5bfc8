// The simulator's TEST key material (made once by scripts/make-sim-keys.mjs; never for a device):
// the test certification authorities (one per payment system RID, index 'E1'), the issuers' RSA
// keys and symmetric master keys, and each virtual ICC's RSA key. Also the CA public key file and
// the certification revocation list a terminal loads to accept the virtual cards.

import { fromHex } from "../../kernel/bytes";
import { rsaPrivateKeyFromHex, type RsaPrivateKey } from "./rsa-private";
import simKeys from "./keys/sim-keys.json";
import simCapk from "./keys/sim-capk.json";
import simCrl from "./keys/sim-crl.json";

/** The test CAs' public keys, in the format of ../shared/vectors/capk-test.json (CapkStore.fromJson). */
export const SIM_CAPK_FILE: { keys: { rid: string; index: string; modulus: string; exponent: string; checksum: string }[] } = simCapk;
/** The revocation list (CertificateRevocationList.fromJson) that revokes the `revoked-issuer-cert` issuer certificate. */
export const SIM_CRL_FILE: { entries: { rid: string; index: string; serial: string }[] } = simCrl;

export type IssuerKeyId = "visa" | "visa-revoked" | "mastercard" | "amex";

export interface IssuerKeys {
  id: IssuerKeyId;
  rid: Uint8Array;
  rsa: RsaPrivateKey;
  /** Issuer master keys for application cryptograms and secure messaging (EMV Book 2, A1.4). */
  imkAc: Uint8Array;
  imkSmi: Uint8Array;
  imkSmc: Uint8Array;
  /** The PIN verification key of the issuer's HSM (Visa PVV). */
  pvk: Uint8Array;
}

export interface CaKeys {
  rid: Uint8Array;
  index: number;
  rsa: RsaPrivateKey;
}

type KeyJson = { modulus: string; exponent: string; p: string; q: string; dp: string; dq: string; qinv: string };

export function simCaKeys(rid: Uint8Array): CaKeys {
  const hex = Array.from(rid, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
  const k = (simKeys.ca as (KeyJson & { rid: string; index: string })[]).find((x) => x.rid === hex);
  if (!k) throw new Error(`no simulator CA for RID ${hex}`);
  return { rid: fromHex(k.rid), index: fromHex(k.index)[0], rsa: rsaPrivateKeyFromHex(k) };
}

export function simIssuerKeys(id: IssuerKeyId): IssuerKeys {
  const k = (simKeys.issuers as (KeyJson & { id: string; rid: string; imkAc: string; imkSmi: string; imkSmc: string; pvk: string })[])
    .find((x) => x.id === id);
  if (!k) throw new Error(`no simulator issuer ${id}`);
  return {
    id, rid: fromHex(k.rid), rsa: rsaPrivateKeyFromHex(k),
    imkAc: fromHex(k.imkAc), imkSmi: fromHex(k.imkSmi), imkSmc: fromHex(k.imkSmc), pvk: fromHex(k.pvk),
  };
}

export function simIccKey(id: string): RsaPrivateKey {
  const k = (simKeys.iccs as (KeyJson & { id: string })[]).find((x) => x.id === id);
  if (!k) throw new Error(`no simulator ICC key ${id}`);
  return rsaPrivateKeyFromHex(k);
}
