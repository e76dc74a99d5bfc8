// The security core as XS services: the same calls on Node and on the XS engine, compared by
// test/xs/security.xs.test.ts. Bytes travel as uppercase hex. XS has no random source of its own,
// so every call that needs random bytes takes them as `randomFill` (hex, repeated as needed); the
// key store scenario runs over the in-memory storage of the simulator.

import type { RandomSource } from "../../../hal/random";
import { fromHex, toHex } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import { softwareCrypto as c } from "../../../kernel/crypto";
import {
  AES_DUKPT_USAGES, DUKPT_KEY_TYPES, KeyStore, PIN_BLOCK_FORMATS, TDES_DUKPT_VARIANTS, TamperResponse,
  aesDukptLoadInitialKey, decodePinBlock, dukptAesHostKey, dukptAesInitialKey, dukptTdesHostKey, dukptTdesIpek,
  encodePinBlock, parseAesKsn, protectTransaction, tdesDukptLoadInitialKey, unwrapKeyBlock, wrapKeyBlock,
  type AesDukptKeyUsage, type DukptDeviceState, type DukptKeyType, type PinBlockFormat, type TdesDukptVariant,
  type Tr31Version,
} from "../../../kernel/security";
import type { TamperCause, TamperEvent, TamperMonitor } from "../../../hal/tamper";
import { MemoryStorage } from "../../hardware/memory-storage";

function str(args: any, name: string): string {
  const v = args === null || typeof args !== "object" ? undefined : args[name];
  if (typeof v !== "string") throw new InputError("args", `missing argument "${name}"`);
  return v;
}

function optStr(args: any, name: string): string | undefined {
  const v = args === null || typeof args !== "object" ? undefined : args[name];
  if (v !== undefined && typeof v !== "string") throw new InputError("args", `argument "${name}" must be a string`);
  return v;
}

function oneOf<T extends string | number>(value: unknown, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly unknown[]).includes(value)) throw new InputError("args", `${name} must be one of ${allowed.join(", ")}`);
  return value as T;
}

/** Repeats `hex` as the random stream (deterministic, for identical answers on both engines). */
function fillFrom(hex: string | undefined): RandomSource {
  const bytes = fromHex(hex ?? "00");
  if (bytes.length === 0) throw new InputError("args", "randomFill must not be empty");
  let i = 0;
  return { fill(out) { for (let k = 0; k < out.length; k++) out[k] = bytes[i++ % bytes.length]; } };
}

function items(args: any): { tag: string; value: Uint8Array }[] {
  const list = args?.items;
  if (!Array.isArray(list)) throw new InputError("args", "items must be a list of {tag, value}");
  return list.map((x: any) => ({ tag: str(x, "tag"), value: fromHex(str(x, "value")) }));
}

function loadState(scheme: string, initialKey: Uint8Array, id: Uint8Array): DukptDeviceState {
  return scheme === "aes-dukpt" ? aesDukptLoadInitialKey(c, initialKey, id) : tdesDukptLoadInitialKey(c, initialKey, id);
}

/** A tamper sensor the scenario can fire. */
class ScriptedMonitor implements TamperMonitor {
  private handler: ((e: TamperEvent) => void) | null = null;
  onTamper(handler: (e: TamperEvent) => void): void { this.handler = handler; }
  async latched(): Promise<TamperCause | null> { return null; }
  async rearm(): Promise<void> { /* nothing latched */ }
  fire(cause: TamperCause): void { if (this.handler) this.handler({ cause }); }
}

export const securityServices: Record<string, (args: any) => unknown> = {
  /** {bdk, ksn, usage, keyType} -> {initialKey, key}: AES DUKPT host derivation (X9.24-3-2017). */
  "security.dukptAes": (args) => {
    const bdk = fromHex(str(args, "bdk"));
    const ksn = fromHex(str(args, "ksn"));
    const usage = oneOf<AesDukptKeyUsage>(args?.usage, AES_DUKPT_USAGES, "usage");
    const keyType = oneOf<DukptKeyType>(args?.keyType, DUKPT_KEY_TYPES, "keyType");
    const key = dukptAesHostKey(c, bdk, ksn, usage, keyType);
    return { initialKey: toHex(dukptAesInitialKey(c, bdk, parseAesKsn(ksn).initialKeyId)), key: toHex(key) };
  },

  /** {bdk, ksn, variant} -> {ipek, key}: TDES DUKPT host derivation (X9.24-1-2009). */
  "security.dukptTdes": (args) => {
    const bdk = fromHex(str(args, "bdk"));
    const ksn = fromHex(str(args, "ksn"));
    const variant = oneOf<TdesDukptVariant>(args?.variant, TDES_DUKPT_VARIANTS, "variant");
    const key = dukptTdesHostKey(c, bdk, ksn, variant);
    return { ipek: toHex(dukptTdesIpek(c, bdk, ksn)), key: toHex(key) };
  },

  /** {format, pin, pan?, key?, randomFill?} -> {block} (ISO 9564-1). */
  "security.pinBlockEncode": (args) => {
    const format = oneOf<PinBlockFormat>(args?.format, PIN_BLOCK_FORMATS, "format");
    const key = optStr(args, "key");
    const block = encodePinBlock(format, str(args, "pin"),
      { pan: optStr(args, "pan"), key: key === undefined ? undefined : fromHex(key), random: fillFrom(optStr(args, "randomFill")) }, c);
    return { block: toHex(block) };
  },

  /** {format, block, pan?, key?} -> {pin} (ISO 9564-1). */
  "security.pinBlockDecode": (args) => {
    const format = oneOf<PinBlockFormat>(args?.format, PIN_BLOCK_FORMATS, "format");
    const key = optStr(args, "key");
    return { pin: decodePinBlock(format, fromHex(str(args, "block")), { pan: optStr(args, "pan"), key: key === undefined ? undefined : fromHex(key) }, c) };
  },

  /** {kbpk, block} -> {header, key} (TR-31 / X9.143). */
  "security.tr31Unwrap": (args) => {
    const r = unwrapKeyBlock(c, fromHex(str(args, "kbpk")), str(args, "block"));
    return { header: r.header, key: toHex(r.key) };
  },

  /** {kbpk, version, usage, algorithm, modeOfUse, key, keyVersion?, exportability?, ksn?, randomFill?} -> {block}. */
  "security.tr31Wrap": (args) => {
    const ksn = optStr(args, "ksn");
    const block = wrapKeyBlock(c, fromHex(str(args, "kbpk")), fromHex(str(args, "key")), {
      version: str(args, "version") as Tr31Version,
      usage: str(args, "usage"),
      algorithm: str(args, "algorithm"),
      modeOfUse: str(args, "modeOfUse"),
      keyVersion: optStr(args, "keyVersion") ?? "00",
      exportability: optStr(args, "exportability") ?? "E",
      optionalBlocks: ksn === undefined ? [] : [{ id: "KS", data: ksn.toUpperCase() }],
      random: fillFrom(optStr(args, "randomFill")),
    });
    return { block };
  },

  /**
   * {scheme, initialKey, id, transactions, pin, pan, items, randomFill} -> [{ksn, pinBlock, format,
   * ciphertext, mac}]: the device's work per transaction (protectTransaction), from Load Initial Key.
   */
  "security.deviceTransactions": (args) => {
    const scheme = oneOf(args?.scheme, ["aes-dukpt", "tdes-dukpt"] as const, "scheme");
    const n = args?.transactions;
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InputError("args", "transactions must be 1 to 1000");
    let state = loadState(scheme, fromHex(str(args, "initialKey")), fromHex(str(args, "id")));
    const pin = fromHex(str(args, "pin"));
    const random = fillFrom(optStr(args, "randomFill"));
    const data = items(args);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const r = protectTransaction(c, state, { pin, pan: str(args, "pan"), items: data }, random);
      state = r.next;
      out.push({ ksn: toHex(r.envelope.ksn), pinBlock: toHex(r.pinBlock.block), format: r.pinBlock.format,
        ciphertext: toHex(r.envelope.ciphertext), mac: toHex(r.envelope.mac) });
    }
    return out;
  },

  /**
   * {kbpk, kbpkAlgorithm, block, slot, transactions, items, randomFill} -> the key store's life over
   * memory storage: inject, protect `transactions` times, tamper, and what it says after each step.
   */
  "security.keyStoreScenario": async (args) => {
    const storage = new MemoryStorage();
    const random = fillFrom(optStr(args, "randomFill"));
    const store = await KeyStore.open({ storage, crypto: c, random });
    const slot = oneOf(args?.slot, ["pin", "data"] as const, "slot");
    await store.loadKbpk(fromHex(str(args, "kbpk")), oneOf(args?.kbpkAlgorithm, ["T", "A"] as const, "kbpkAlgorithm"));
    const injected = await store.injectKeyBlock(slot, str(args, "block"));
    const monitor = new ScriptedMonitor();
    const response = new TamperResponse({ monitor, keyStore: store });
    await response.start();
    const envelopes: unknown[] = [];
    const n = Number(args?.transactions ?? 1);
    for (let i = 0; i < n; i++) {
      const e = await store.protect(items(args));
      envelopes.push({ ksn: toHex(e.ksn), ciphertext: toHex(e.ciphertext), mac: toHex(e.mac) });
    }
    const before = await store.status();
    monitor.fire("enclosure");
    await response.settled();
    let refused: string | null = null;
    try {
      await store.protect(items(args));
    } catch (e) {
      refused = (e as { code?: string }).code ?? "error";
    }
    return { injected, envelopes, before, after: await store.status(), refused, records: storage.names() };
  },
};
