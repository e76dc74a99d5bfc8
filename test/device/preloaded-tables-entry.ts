// Bundled by test/device/memory.test.ts and run on the XS engine: the kernel's tables that the
// device keeps in flash because the preloaded firmware module builds them while it loads (the TLV
// dictionary, the Ed25519 and P-256 base-point tables). `handleCommand` answers which of the
// dictionary's objects are not frozen, then runs every first use (a tag look-up, an Ed25519
// verification, a P-256 signature) so the host can read the live heap before and after.
import { decodeJson, encodeJson } from "../../hal/xs-bridge/wire";
import { fromHex } from "../../kernel/bytes";
import { firmwareKats } from "../../kernel/selftest/kat-firmware";
import { softwareSessionCrypto } from "../../kernel/protocol/session-crypto";
import { Secret } from "../../kernel/security/secret";
import { dictionaryObjects, tagInfo } from "../../kernel/tlv/dictionary";

declare const globalThis: { handleCommand?: (message: ArrayBuffer) => { result: ArrayBuffer } };

function firstUses(): boolean {
  let ok = tagInfo("9F02")?.name === "Amount, Authorised (Numeric)" && tagInfo("df8f01") !== undefined;
  for (const kat of firmwareKats) ok = kat.run(undefined as never) && ok;
  const key = new Secret(fromHex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"));
  const signature = softwareSessionCrypto.sign(key, fromHex("73616D706C65"));
  key.zeroize();
  return ok && signature.length === 64;
}

globalThis.handleCommand = (message: ArrayBuffer) => {
  const answer = decodeJson(message) === "frozen"
    ? { objects: dictionaryObjects().length, notFrozen: dictionaryObjects().filter((o) => !Object.isFrozen(o)).length }
    : { ok: firstUses() };
  return { result: encodeJson(answer) };
};
