// EMV Book 2 cryptography as XS services (kernel/emv/crypto and kernel/emv/oda), so a test runs
// the same call on Node and on the XS engine and compares the answers, and the CLI's `emv` and
// `oda` commands share one implementation. Bytes travel as uppercase hex; bad arguments end in the
// kernel's typed errors; card data that fails a check is an `{ ok: false, reason }` answer.

import { fromHex, toHex } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import { softwareCrypto } from "../../../kernel/crypto";
import {
  applicationCryptogram, arpcMethod1, arpcMethod2, deriveAcSessionKey, deriveIccMasterKey, type MasterKeyOption,
} from "../../../kernel/emv/crypto";
import {
  CapkStore, CertificateRevocationList, recoverIccPublicKey, recoverIssuerPublicKey, staticDataToAuthenticate,
  verifyCombinedSignature, verifyDynamicSignature, verifySignedStaticData, type OdaRecord,
} from "../../../kernel/emv/oda";
import { emvKats } from "../../../kernel/selftest/kat-emv";
import { runSelfTests } from "../../../kernel/selftest/selftest";

const c = softwareCrypto;

function str(args: any, name: string): string {
  const v = args === null || typeof args !== "object" ? undefined : args[name];
  if (typeof v !== "string") throw new InputError("args", `missing argument "${name}"`);
  return v;
}

function hex(args: any, name: string): Uint8Array {
  return fromHex(str(args, name));
}

function optionalHex(args: any, name: string): Uint8Array | undefined {
  const v = args?.[name];
  return v === undefined || v === null || v === "" ? undefined : hex(args, name);
}

/** The issuer certificate outcome in the CLI's shape (issue 6, item 5). */
export function issuerCertificate(args: any): object {
  const store = CapkStore.fromJson(c, ...((Array.isArray(args?.capk) ? args.capk : [args?.capk]) as unknown[]));
  const rid = hex(args, "rid");
  const index = hex(args, "index");
  if (rid.length !== 5) throw new InputError("args", "rid must be 5 bytes");
  if (index.length !== 1) throw new InputError("args", "index must be 1 byte");
  const pan = str(args, "pan");
  if (!/^[0-9]{12,19}$/.test(pan)) throw new InputError("args", "pan must be 12 to 19 digits");
  const capk = store.find(rid, index[0]);
  if (!capk) return { ok: false, reason: "capk-missing" };
  const crl = args?.crl ? CertificateRevocationList.fromJson(args.crl) : undefined;
  const r = recoverIssuerPublicKey(c, {
    capk, certificate: hex(args, "cert"), remainder: optionalHex(args, "remainder"), exponent: hex(args, "exponent"),
    pan, today: hex(args, "today"), crl,
  });
  if (!r.ok) return r;
  return {
    ok: true, issuerId: r.key.issuerId, expiry: r.key.expiry, serial: toHex(r.key.serial), hashAlgorithm: r.key.hashAlgorithm,
    pkAlgorithm: r.key.pkAlgorithm, modulusLength: r.key.modulus.length, exponentLength: r.key.exponent.length,
  };
}

export function iccMasterKey(args: any): { key: string } {
  const option = (args?.option ?? "A") as MasterKeyOption;
  return { key: toHex(deriveIccMasterKey(c, hex(args, "imk"), str(args, "pan"), str(args, "psn"), option)) };
}

export function sessionKey(args: any): { key: string } {
  return { key: toHex(deriveAcSessionKey(c, hex(args, "mk"), hex(args, "atc"))) };
}

export function cryptogram(args: any): { cryptogram: string } {
  return { cryptogram: toHex(applicationCryptogram(c, hex(args, "key"), hex(args, "data"))) };
}

export function arpc(args: any): { arpc: string } {
  const method = args?.method;
  if (method === 1) return { arpc: toHex(arpcMethod1(c, hex(args, "key"), hex(args, "arqc"), hex(args, "arc"))) };
  if (method === 2) {
    return { arpc: toHex(arpcMethod2(c, hex(args, "key"), hex(args, "arqc"), hex(args, "csu"), optionalHex(args, "pad") ?? new Uint8Array(0))) };
  }
  throw new InputError("args", "method must be 1 or 2");
}

const key = (args: any, prefix: string) => ({ modulus: hex(args, `${prefix}Modulus`), exponent: hex(args, `${prefix}Exponent`) });

export const emvCryptoServices: Record<string, (args: any) => unknown> = {
  /** {imk, pan, psn, option?} -> {key}: ICC master key, Book 2 A1.4 option A or B. */
  "emv.iccMasterKey": iccMasterKey,
  /** {mk, atc} -> {key}: AC session key, Book 2 A1.3.1. */
  "emv.sessionKey": sessionKey,
  /** {key, data} -> {cryptogram}: ISO 9797-1 MAC algorithm 3, padding 2 (Book 2 8.1). */
  "emv.applicationCryptogram": cryptogram,
  /** {method: 1, key, arqc, arc} or {method: 2, key, arqc, csu, pad?} -> {arpc} (Book 2 8.2). */
  "emv.arpc": arpc,
  /** {capk: file(s), crl?, rid, index, cert, remainder?, exponent, pan, today} -> the issuer key fields. */
  "oda.issuerCertificate": issuerCertificate,
  /** {issuerModulus, issuerExponent, cert, remainder?, exponent, panField, today, records, sdaTagList?, aip?} -> ICC key. */
  "oda.iccCertificate": (args: any) => {
    const records = (Array.isArray(args?.records) ? args.records : []).map((r: any): OdaRecord => ({ sfi: Number(r?.sfi), record: hex(r, "record") }));
    const sd = staticDataToAuthenticate(records, { sdaTagList: optionalHex(args, "sdaTagList"), aip: optionalHex(args, "aip") });
    if (!sd.ok) return sd;
    const r = recoverIccPublicKey(c, {
      issuerKey: key(args, "issuer"), certificate: hex(args, "cert"), remainder: optionalHex(args, "remainder"),
      exponent: hex(args, "exponent"), panField: hex(args, "panField"), today: hex(args, "today"), staticData: sd.data,
    });
    return r.ok ? { ok: true, modulus: toHex(r.key.modulus), exponent: toHex(r.key.exponent), expiry: r.key.expiry } : r;
  },
  /** {issuerModulus, issuerExponent, ssad, staticData} -> {ok, dataAuthenticationCode} (Book 2 5.4). */
  "oda.sda": (args: any) => {
    const r = verifySignedStaticData(c, key(args, "issuer"), hex(args, "ssad"), hex(args, "staticData"));
    return r.ok ? { ok: true, dataAuthenticationCode: toHex(r.dataAuthenticationCode) } : r;
  },
  /** {iccModulus, iccExponent, sdad, ddolData} -> {ok, iccDynamicNumber} (Book 2 6.5). */
  "oda.dda": (args: any) => {
    const r = verifyDynamicSignature(c, key(args, "icc"), hex(args, "sdad"), hex(args, "ddolData"));
    return r.ok ? { ok: true, iccDynamicNumber: toHex(r.iccDynamicNumber) } : r;
  },
  /** {iccModulus, iccExponent, sdad, unpredictableNumber, cid, pdolData, cdol1Data, cdol2Data?, responseWithoutSdad} (Book 2 6.6). */
  "oda.cda": (args: any) => {
    const r = verifyCombinedSignature(c, {
      iccKey: key(args, "icc"), sdad: hex(args, "sdad"), unpredictableNumber: hex(args, "unpredictableNumber"),
      cid: Number(args?.cid), pdolData: hex(args, "pdolData"), cdol1Data: hex(args, "cdol1Data"),
      cdol2Data: optionalHex(args, "cdol2Data"), responseWithoutSdad: hex(args, "responseWithoutSdad"),
    });
    return r.ok ? { ok: true, cryptogram: toHex(r.cryptogram), iccDynamicNumber: toHex(r.iccDynamicNumber), cid: r.cid } : r;
  },
  /** The EMV known-answer tests of the power-on self-tests. */
  "emv.kats": () => runSelfTests(c, emvKats),
};
