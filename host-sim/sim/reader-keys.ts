import type { RandomSource } from "../../hal/random";
import type { SecureStorage } from "../../hal/secure-storage";
import { fromHex } from "../../kernel/bytes";
import type { CryptoProvider } from "../../kernel/crypto";
import { KeyStore } from "../../kernel/security";
import { MemoryStorage } from "../hardware/memory-storage";
import { SimulatedHsm } from "../hsm/hsm";
import { simAesBdk, simTdesBdk } from "../issuer";

// The simulated reader's keys, provisioned as a real reader is at the factory: a key block
// protection key loaded in the secure room, then each DUKPT slot's initial key, derived by the
// acquirer's HSM from its BDK and injected as a TR-31 key block (usage B1) under that KBPK. Storage
// is in memory, so every simulated transaction starts from a freshly injected reader.
//
// TEST keys: the KBPK below is a fixed simulator value; the BDK is the ANSI X9.24-3 test BDK the
// simulator's issuer host holds (host-sim/issuer/keys.ts).

/** The simulated reader's key block protection key (AES-128). Simulator only. */
const SIM_KBPK = fromHex("89E88CF7931444F334BD7547FC3F380C");
/** Initial Key IDs of the PIN and the data slot (ANSI X9.24-3 BDK ID 12345678, derivation IDs). */
const PIN_IKID = fromHex("123456789012A001");
const DATA_IKID = fromHex("123456789012D001");

export interface ReaderKeys {
  store: KeyStore;
  hsm: SimulatedHsm;
}

/** `storage`: where the keys are injected (the reader firmware opens its own key store over it, issue 10). */
export async function provisionReaderKeys(crypto: CryptoProvider, random: RandomSource, storage: SecureStorage = new MemoryStorage()): Promise<ReaderKeys> {
  const hsm = new SimulatedHsm({ crypto, random, aesBdk: simAesBdk(), tdesBdk: simTdesBdk() });
  const store = await KeyStore.open({ storage, crypto, random });
  await store.loadKbpk(SIM_KBPK.slice(), "A");
  await store.injectKeyBlock("pin", hsm.initialKeyBlock("aes-dukpt", PIN_IKID, SIM_KBPK, "A"));
  await store.injectKeyBlock("data", hsm.initialKeyBlock("aes-dukpt", DATA_IKID, SIM_KBPK, "A"));
  return { store, hsm };
}
