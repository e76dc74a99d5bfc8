#!/usr/bin/env node
// Generates the simulator's TEST key material ONCE, offline, into host-sim/cards/keys/:
//   sim-keys.json  RSA key pairs (with CRT parameters) of the simulator's own test certification
//                  authorities, of its issuers and of its virtual ICCs, plus each issuer's symmetric
//                  master keys (EMV Book 2, A1.4: IMK-AC, IMK-SMI, IMK-SMC) and PIN verification key;
//   sim-capk.json  the test CAs' public keys in the format of ../shared/vectors/capk-test.json, with
//                  the Book 2 checksum (SHA-1 over RID || index || modulus || exponent).
// These are TEST KEYS of a simulator: they protect nothing and must never be loaded on a device.
// RSA key generation takes seconds, so the simulator never does it at run time. A run keeps every
// key already in the files and makes only those listed below that are missing (a new card gets its
// key, the others and the fixtures built on them stay as they are); --replace makes them all anew
// (every certificate the virtual cards carry is rebuilt from them).
//
//   node scripts/make-sim-keys.mjs            adds the missing keys (writes both files)
//   node scripts/make-sim-keys.mjs --replace  replaces every key
//   node scripts/make-sim-keys.mjs --check    verifies the files on disk (key pairs, checksums)
import { createHash, generateKeyPairSync, randomBytes } from "crypto";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { fileURLToPath } from "url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(root, "host-sim", "cards", "keys");

// The CA key index the simulator uses under each payment system's RID: not used by any key of
// ../shared/vectors/capk-test.json, so both stores load side by side.
const SIM_CA_INDEX = "E1";
const CAS = [
  { rid: "A000000003", bits: 1408 }, // Visa
  { rid: "A000000004", bits: 1408 }, // Mastercard
  { rid: "A000000025", bits: 1408 }, // American Express
];
// Issuer keys: 1152 bits under a 1408-bit CA, so the certificate carries 140 of the 144 modulus
// bytes and the Issuer Public Key Remainder (tag 92) the last 4 (EMV Book 2, 5.1).
const ISSUERS = [
  { id: "visa", rid: "A000000003", bits: 1152, e: 3 },
  { id: "visa-revoked", rid: "A000000003", bits: 1152, e: 3 },
  { id: "mastercard", rid: "A000000004", bits: 1152, e: 3 },
  { id: "amex", rid: "A000000025", bits: 1152, e: 3 },
];
// ICC keys: 1024 bits under a 1152-bit issuer key, so the ICC Public Key Remainder (tag 9F48)
// carries the last 26 bytes (Book 2, 6.1). The Amex card uses exponent 2^16 + 1.
const ICCS = [
  { id: "visa-cda", bits: 1024, e: 3 },
  { id: "mc-dda", bits: 1024, e: 3 },
  { id: "mc-cda-offline-pin", bits: 1024, e: 3 },
  { id: "amex-online-pin", bits: 1024, e: 65537 },
  { id: "expired", bits: 1024, e: 3 },
  { id: "pin-blocked", bits: 1024, e: 3 },
  { id: "revoked-issuer-cert", bits: 1024, e: 3 },
  { id: "chip-magstripe-201", bits: 1024, e: 3 },
  { id: "mc-wallet", bits: 1024, e: 3 },
];

const hex = (buf) => Buffer.from(buf).toString("hex").toUpperCase();
const b64u = (s) => Buffer.from(s, "base64url");

function rsaKey(bits, e) {
  for (;;) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: e });
    const jwk = privateKey.export({ format: "jwk" });
    const n = b64u(jwk.n);
    if (n.length * 8 !== bits || (n[0] & 0x80) === 0) continue; // exactly `bits` long
    return {
      modulus: hex(n), exponent: hex(b64u(jwk.e)), d: hex(b64u(jwk.d)),
      p: hex(b64u(jwk.p)), q: hex(b64u(jwk.q)), dp: hex(b64u(jwk.dp)), dq: hex(b64u(jwk.dq)), qinv: hex(b64u(jwk.qi)),
    };
  }
}

// EMV Book 2, 11.2.2 (Table 23): the CA public key check sum.
function capkChecksum(rid, index, modulus, exponent) {
  return hex(createHash("sha1").update(Buffer.from(rid + index + modulus + exponent, "hex")).digest());
}

function capkFile(keys) {
  return {
    standard: "mpos simulator TEST certification authority public keys (EMV Book 2, 11.2.2): TEST KEYS, never for a device; checksum = SHA-1(RID || index || modulus || exponent)",
    keys: keys.ca.map((k) => ({
      rid: k.rid, index: k.index, modulusBits: k.modulus.length * 4, modulus: k.modulus, exponent: k.exponent,
      checksum: capkChecksum(k.rid, k.index, k.modulus, k.exponent),
    })),
  };
}

function check() {
  const keys = JSON.parse(readFileSync(join(dir, "sim-keys.json"), "utf8"));
  const big = (h) => BigInt("0x" + h);
  const all = [...keys.ca, ...keys.issuers, ...keys.iccs];
  for (const k of all) {
    const n = big(k.modulus), p = big(k.p), q = big(k.q), e = big(k.exponent), d = big(k.d);
    if (p * q !== n) throw new Error(`${k.id ?? k.rid}: p * q != n`);
    const m = 0x1234567890abcdefn;
    let c = 1n, b = m, x = e;
    while (x > 0n) { if (x & 1n) c = (c * b) % n; b = (b * b) % n; x >>= 1n; }
    let r = 1n; b = c; x = d;
    while (x > 0n) { if (x & 1n) r = (r * b) % n; b = (b * b) % n; x >>= 1n; }
    if (r !== m) throw new Error(`${k.id ?? k.rid}: d is not the inverse of e`);
  }
  const capk = JSON.parse(readFileSync(join(dir, "sim-capk.json"), "utf8"));
  for (const k of capk.keys) {
    if (capkChecksum(k.rid, k.index, k.modulus, k.exponent) !== k.checksum) throw new Error(`${k.rid}/${k.index}: checksum`);
  }
  console.log(`ok: ${all.length} key pairs, ${capk.keys.length} CA public keys`);
}

const caKey = (c) => ({ rid: c.rid, index: SIM_CA_INDEX, ...rsaKey(c.bits, 3) });
const issuerKey = (i) => ({
  id: i.id, rid: i.rid, ...rsaKey(i.bits, i.e),
  imkAc: hex(randomBytes(16)), imkSmi: hex(randomBytes(16)), imkSmc: hex(randomBytes(16)), pvk: hex(randomBytes(16)),
});
const iccKey = (i) => ({ id: i.id, ...rsaKey(i.bits, i.e) });

/** The keys on disk in their order, then a new one for each wanted key they lack. */
function completed(have, wanted, idOf, make) {
  const out = have.slice();
  for (const w of wanted) if (!have.some((k) => idOf(k) === idOf(w))) out.push(make(w));
  return out;
}

if (process.argv.includes("--check")) {
  check();
} else {
  const file = join(dir, "sim-keys.json");
  const old = !process.argv.includes("--replace") && existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { ca: [], issuers: [], iccs: [] };
  const keys = {
    note: "TEST KEYS of the mpos simulator (scripts/make-sim-keys.mjs). They protect nothing: never load them on a device.",
    ca: completed(old.ca, CAS, (k) => k.rid, caKey),
    issuers: completed(old.issuers, ISSUERS, (k) => k.id, issuerKey),
    iccs: completed(old.iccs, ICCS, (k) => k.id, iccKey),
  };
  writeFileSync(file, JSON.stringify(keys, null, 2) + "\n");
  writeFileSync(join(dir, "sim-capk.json"), JSON.stringify(capkFile(keys), null, 2) + "\n");
  check();
}
