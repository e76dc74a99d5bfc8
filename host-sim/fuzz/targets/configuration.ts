import { concat, fromHex } from "../../../kernel/bytes";
import { loadContactlessConfig } from "../../../kernel/contactless/config";
import { softwareCrypto } from "../../../kernel/crypto";
import { loadTerminalConfig } from "../../../kernel/emv/terminal-config";
import {
  decodeConfiguration, encodeConfiguration, softwareSessionCrypto, verifyConfiguration, type ReaderConfiguration, type SignedConfiguration,
} from "../../../kernel/protocol";
import { Secret } from "../../../kernel/security/secret";
import { DEFAULT_TRANSACTION_CONFIG, loadTransactionConfig } from "../../../kernel/transaction/config";
import { loadFleet, type SimulatedFleet } from "../../fleet/fleet";
import fleetKeys from "../../fleet/fleet-keys.json";
import contactlessConfigJson from "../../picc/contactless-config.json";
import terminalConfigJson from "../../sim/terminal-config.json";
import type { FuzzTarget } from "../fuzz-target";
import { inputHash, isTypedError } from "./outcome";

// Configuration from outside through the reader's loaders: the terminal configuration (EMV Book 4,
// Annex A; kernel/emv/terminal-config.ts), the contactless configuration (EMV Contactless Book A,
// 5.7 / Book B; kernel/contactless/config.ts), the payment application's settings
// (kernel/transaction/config.ts) and the fleet's signed configuration message over BLE
// (kernel/protocol/configuration.ts). Each must load, or end in its typed error naming the field.
//
// JSON inputs are the document's text. A text that does not parse is refused at the parse (a
// defined outcome). Since byte mutations of JSON mostly break its syntax, every input also drives
// one structural mutation of the seed document (a value replaced by a hostile one, a key removed,
// an array emptied or doubled), chosen by a hash of the input, so each input tests the loader too.

const HOSTILE_VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, "", "0", "ZZ", "9F02", "A0000000031010", "x".repeat(5000),
  [], [null], {}, { "__proto__": { polluted: true } }, "constructor", "toString",
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value in `doc`, the root included. */
function paths(doc: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, prefix.concat([i]), out));
  else if (doc !== null && typeof doc === "object") for (const k of Object.keys(doc)) paths(doc[k], prefix.concat([k]), out);
  return out;
}

/** A copy of `seed` with one structural change picked by `hash`. */
export function mutateJson(seed: Json, hash: number): unknown {
  const doc = JSON.parse(JSON.stringify(seed)) as Json;
  const all = paths(doc);
  const path = all[hash % all.length];
  const op = (hash >>> 16) % 4;
  if (path.length === 0) return op === 0 ? HOSTILE_VALUES[(hash >>> 8) % HOSTILE_VALUES.length] : doc;
  let parent: any = doc;
  for (const p of path.slice(0, -1)) parent = parent[p];
  const key = path[path.length - 1];
  if (op === 0 && !Array.isArray(parent)) delete parent[key];
  else if (op === 1 && Array.isArray(parent[key])) parent[key] = (parent[key] as Json[]).length % 2 === 0 ? [] : (parent[key] as Json[]).concat(parent[key] as Json[]);
  else parent[key] = JSON.parse(JSON.stringify(HOSTILE_VALUES[(hash >>> 8) % HOSTILE_VALUES.length]));
  return doc;
}

function text(input: Uint8Array): string {
  let s = "";
  for (let i = 0; i < input.length; i++) s += String.fromCharCode(input[i]);
  return s;
}

function bytesOf(value: unknown): Uint8Array {
  return Uint8Array.from(JSON.stringify(value), (c) => c.charCodeAt(0) & 0xff);
}

/** Loads the input as a JSON document (when it parses) and one structural mutation of `seed`. */
function jsonTarget(name: string, seed: () => Json, load: (json: unknown) => unknown): FuzzTarget {
  return {
    name,
    seeds: () => [bytesOf(seed())],
    maxLength: 16384,
    run(input) {
      let parsed: unknown;
      let parses = true;
      try {
        parsed = JSON.parse(text(input));
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        parses = false;
      }
      const errors: unknown[] = [];
      const attempt = (json: unknown) => {
        try {
          load(json);
        } catch (e) {
          errors.push(e);
        }
      };
      if (parses) attempt(parsed);
      attempt(mutateJson(seed(), inputHash(input)));
      // An untyped error is the finding, whichever document raised it.
      const worst = errors.find((e) => !isTypedError(e)) ?? errors[0];
      if (worst !== undefined) throw worst;
    },
    isDefinedError: isTypedError,
  };
}

const terminalSeed = () => terminalConfigJson as unknown as Json;
const contactlessSeed = () => ({ ...(contactlessConfigJson as object), terminal: terminalConfigJson }) as unknown as Json;

export const terminalConfigTarget = jsonTarget("config-terminal", terminalSeed, loadTerminalConfig);
export const contactlessConfigTarget = jsonTarget("config-contactless", contactlessSeed, loadContactlessConfig);
export const transactionConfigTarget = jsonTarget("config-transaction", () => DEFAULT_TRANSACTION_CONFIG as unknown as Json, loadTransactionConfig);

let fleet: SimulatedFleet | null = null;
let originalMessage: SignedConfiguration | null = null;

/** A configuration as the fleet sends it: terminal data, two AIDs, one CA key with its checksum (EMV Book 2, 11.2.2). */
function configurationSeed(): ReaderConfiguration {
  const capk = { rid: fromHex("A000000003"), index: 0x92, modulus: new Uint8Array(176).fill(0xc5), exponent: fromHex("03") };
  return {
    version: 7,
    terminalData: [{ tag: "9F1A", value: fromHex("0840") }, { tag: "9F35", value: fromHex("22") }, { tag: "9F33", value: fromHex("E0F8C8") }],
    aids: [
      { aid: fromHex("A0000000031010"), partialSelection: true, floorLimit: 0, tacDefault: fromHex("DC4000A800") },
      { aid: fromHex("A0000000041010"), partialSelection: false, applicationVersion: fromHex("0002") },
    ],
    capks: [{ ...capk, checksum: softwareCrypto.sha1(concat(capk.rid, Uint8Array.of(capk.index), capk.modulus, capk.exponent)) }],
  };
}

/**
 * The payload of the signed configuration message (BER-TLV), through the reader's check
 * (verifyConfiguration): a payload that decodes is signed by the fleet's TEST configuration key and
 * checked field by field and CA key by CA key (a validly signed but hostile configuration). One input
 * in eight also goes with the fleet's signature of the original payload (a forged or damaged
 * message), which must be refused unless it is the original. (ECDSA costs milliseconds; a payload
 * that does not decode is refused by the decoder before a signature would matter.)
 */
export const signedConfigurationTarget: FuzzTarget = {
  name: "config-signed",
  seeds: () => [encodeConfiguration(configurationSeed())],
  maxLength: 2048,
  run(input) {
    fleet ??= loadFleet();
    const trusted = fleet.trustedConfigurationKeys;
    const sha1 = (d: Uint8Array) => softwareCrypto.sha1(d);
    const original = (originalMessage ??= fleet.signConfiguration(configurationSeed()));
    if (inputHash(input) % 8 === 0) {
      let accepted = false;
      try {
        verifyConfiguration(softwareSessionCrypto, { ...original, payload: input.slice() }, trusted, sha1);
        accepted = true;
      } catch (e) {
        if (!isTypedError(e)) throw e;
      }
      if (accepted && !sameBytes(input, original.payload)) throw new Error("configuration: a payload that was not signed was accepted");
    }
    decodeConfiguration(input);
    verifyConfiguration(softwareSessionCrypto, { ...original, payload: input.slice(), signature: resign(input) }, trusted, sha1);
  },
  isDefinedError: isTypedError,
};

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The fleet's TEST configuration key signs `payload` (what a fleet server would do). */
function resign(payload: Uint8Array): Uint8Array {
  const secret = new Secret(fromHex(fleetKeys.fleetConfiguration.secretKey));
  try {
    return softwareSessionCrypto.sign(secret, payload);
  } finally {
    secret.zeroize();
  }
}
