import { fromHex } from "../../kernel/bytes";
import { loadContactlessConfig } from "../../kernel/contactless/config";
import { softwareCrypto, type CryptoProvider } from "../../kernel/crypto";
import type { EmvDate } from "../../kernel/emv/dates";
import { CapkStore, CertificateRevocationList } from "../../kernel/emv/oda";
import { createOdaEnvironment } from "../../kernel/emv/oda-environment";
import { loadTerminalConfig } from "../../kernel/emv/terminal-config";
import { InputError } from "../../kernel/errors";
import { createPcd } from "../../kernel/iso14443/pcd";
import { KeyStore } from "../../kernel/security";
import { displayableLanguages, loadTransactionConfig, type ReadingEnvironment, type TransactionConfig } from "../../kernel/transaction";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { VirtualDisplay } from "../hardware/display";
import { VirtualIndicators } from "../hardware/indicators";
import { VirtualKeypad } from "../hardware/keypad";
import { MemoryStorage } from "../hardware/memory-storage";
import { SimulatedHsm } from "../hsm/hsm";
import { simAesBdk, simTdesBdk } from "../issuer";
import contactlessConfigJson from "../picc/contactless-config.json";
import { VirtualField, type PlacedPicc } from "../picc/virtual-field";
import { currency, parseAmount } from "../sim/currency";
import { SeededRandom } from "../sim/seeded-random";
import terminalConfigJson from "../sim/terminal-config.json";
import { PowerSwitch } from "./powered-storage";
import type { Scenario } from "./scenario";
import { SimContactSlot, SimMagstripeHead } from "./sim-devices";
import { WorldClock } from "./world-clock";

// The simulated reader a scenario runs on: its hardware (keypad, display, lights and beeper,
// contact slot, magnetic stripe head, NFC field), its two storages behind one power switch, its
// keys provisioned as at the factory, and the configurations of host-sim/sim and host-sim/picc
// with the scenario's currency and the languages its display can show.

/** The simulated reader's key block protection key and Initial Key IDs, as in host-sim/sim/reader-keys.ts. Simulator only. */
const SIM_KBPK = "89E88CF7931444F334BD7547FC3F380C";
const PIN_IKID = "123456789012A001";
const DATA_IKID = "123456789012D001";

export interface SimHardware {
  clock: WorldClock;
  power: PowerSwitch;
  keypad: VirtualKeypad;
  display: VirtualDisplay;
  indicators: VirtualIndicators;
  slot: SimContactSlot;
  head: SimMagstripeHead;
  field: VirtualField;
  keyStorage: ReturnType<PowerSwitch["attach"]>;
  journalStorage: ReturnType<PowerSwitch["attach"]>;
  hsm: SimulatedHsm;
  random: SeededRandom;
}

export interface SimSettings {
  config: TransactionConfig;
  amount: number;
  currencyExponent: number;
  date: EmvDate;
  time: { hour: number; minute: number; second: number };
  seed: number;
  /** Reading environment without the key store (opened at each boot). */
  env: Omit<ReadingEnvironment, "keys">;
}

function dateOf(s: Scenario): { date: EmvDate; time: { hour: number; minute: number; second: number } } {
  let date = { year: 2025, month: 6, day: 15 };
  let time = { hour: 12, minute: 0, second: 0 };
  if (s.date !== undefined) {
    const m = /^([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(s.date);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[3]) < 1 || Number(m[3]) > 31) throw new InputError("date", "date must be YYMMDD");
    // Book 4, 6.7.3: YY 00-49 is 20YY, 50-99 is 19YY.
    const yy = Number(m[1]);
    date = { year: yy < 50 ? 2000 + yy : 1900 + yy, month: Number(m[2]), day: Number(m[3]) };
  }
  if (s.time !== undefined) {
    const m = /^([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])$/.exec(s.time);
    if (!m) throw new InputError("time", "time must be HHMMSS");
    time = { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3]) };
  }
  return { date, time };
}

/** The settings of a scenario: configurations checked, amount parsed (a scenario's date defaults to 2025-06-15 12:00:00: runs repeat). */
export function simSettings(s: Scenario, display: VirtualDisplay, c: CryptoProvider = softwareCrypto): SimSettings {
  const terminal = JSON.parse(JSON.stringify(terminalConfigJson));
  if (s.currency !== undefined) {
    const cur = currency(s.currency);
    terminal.currencyCode = cur.code;
    terminal.currencyExponent = cur.exponent;
  }
  // Book 4, 11.1: the languages the reader supports are those its display can show.
  terminal.languages = displayableLanguages(display.characterSets);
  const contactless = loadContactlessConfig({ ...JSON.parse(JSON.stringify(contactlessConfigJson)), terminal });
  const { date, time } = dateOf(s);
  const seed = s.seed ?? 1;
  return {
    config: loadTransactionConfig(s.config ?? {}),
    amount: parseAmount(s.amount, contactless.terminal.currencyExponent),
    currencyExponent: contactless.terminal.currencyExponent,
    date, time, seed,
    env: {
      terminal: loadTerminalConfig(terminal),
      contactless,
      crypto: c,
      random: new SeededRandom(c, fromHex(`${seed.toString(16).padStart(8, "0")}00`)),
      clock: new WorldClock(),
      oda: createOdaEnvironment(c, CapkStore.fromJson(c, SIM_CAPK_FILE), CertificateRevocationList.fromJson(SIM_CRL_FILE)),
    },
  };
}

/** The reader's hardware, and its keys injected (before any power cut is armed). */
export async function buildHardware(settings: SimSettings, display: VirtualDisplay, placed: PlacedPicc[]): Promise<SimHardware> {
  const c = settings.env.crypto;
  const clock = settings.env.clock as WorldClock;
  const power = new PowerSwitch();
  const keyStorage = power.attach(new MemoryStorage());
  const journalStorage = power.attach(new MemoryStorage());
  const random = settings.env.random as SeededRandom;
  const hsm = new SimulatedHsm({ crypto: c, random, aesBdk: simAesBdk(), tdesBdk: simTdesBdk() });
  const store = await KeyStore.open({ storage: keyStorage, crypto: c, random });
  const kbpk = fromHex(SIM_KBPK);
  await store.loadKbpk(kbpk.slice(), "A");
  await store.injectKeyBlock("pin", hsm.initialKeyBlock("aes-dukpt", fromHex(PIN_IKID), kbpk, "A"));
  await store.injectKeyBlock("data", hsm.initialKeyBlock("aes-dukpt", fromHex(DATA_IKID), kbpk, "A"));
  kbpk.fill(0);
  return {
    clock, power, display, random, hsm, keyStorage, journalStorage,
    keypad: new VirtualKeypad(),
    indicators: new VirtualIndicators(),
    slot: new SimContactSlot(clock, power),
    head: new SimMagstripeHead(settings.seed),
    field: new VirtualField({ clock, cards: placed }),
  };
}

/** Opens the key store over its storage (at every boot: memory is gone after a power loss). */
export function openKeyStore(hw: SimHardware, c: CryptoProvider): Promise<KeyStore> {
  return KeyStore.open({ storage: hw.keyStorage, crypto: c, random: hw.random });
}

export function simPcd(hw: SimHardware) {
  return createPcd({ controller: hw.field, clock: hw.clock });
}
