import { toHex } from "../../kernel/bytes";
import type { CryptoProvider } from "../../kernel/crypto";
import { MposError } from "../../kernel/errors";
import { ConfigurationError, type AidConfiguration, type EmvItem, type ReaderConfiguration } from "../../kernel/protocol";
import type { ConfigurationStore } from "./payment-engine";
import { loadReaderConfig, type ReaderConfig, type ReaderConfigFiles } from "./reader-config";

// The fleet's configuration (docs/protocol.md, "Configuration"; kernel/protocol/configuration.ts)
// applied to the reader's installed configuration (reader-config.ts): its terminal data replace the
// terminal's data elements, its AIDs replace the accepted applications (each keeping what the fleet
// does not send from the installed entry of the same AID), its CA public keys are added to (or
// replace, by RID and index) the installed ones. The result goes through the kernel's own loaders,
// so a configuration the reader cannot run is refused before it is stored, never half-applied.
//
// Applied at once: a verified configuration is stored, then the running reader takes it for the
// next payment; while a payment runs it waits for that payment's end (a payment never changes its
// terminal data half-way, EMV Book 4, 6.7.1).

/** Terminal data elements the fleet may set (EMV Book 4, Annex A; Book 3, Annex A), as terminal-config.ts names them. */
const TERMINAL_DATA: Readonly<Record<string, { field: string; form: "hex" | "bcd-digits" | "n1" | "text"; bytes: [number, number] }>> = {
  "9F35": { field: "terminalType", form: "hex", bytes: [1, 1] },
  "9F33": { field: "capabilities", form: "hex", bytes: [3, 3] },
  "9F40": { field: "additionalCapabilities", form: "hex", bytes: [5, 5] },
  "9F1A": { field: "countryCode", form: "bcd-digits", bytes: [2, 2] },
  "5F2A": { field: "currencyCode", form: "bcd-digits", bytes: [2, 2] },
  "5F36": { field: "currencyExponent", form: "n1", bytes: [1, 1] },
  "9F15": { field: "merchantCategoryCode", form: "bcd-digits", bytes: [2, 2] },
  "9F1C": { field: "terminalId", form: "text", bytes: [8, 8] },
  "9F16": { field: "merchantId", form: "text", bytes: [15, 15] },
  "9F1E": { field: "ifdSerialNumber", form: "text", bytes: [8, 8] },
};

/** EMV Book 2, 6.5.1: a default DDOL holds the Unpredictable Number. */
const DEFAULT_DDOL = "9F3704";

function refuse(message: string): never {
  throw new ConfigurationError("config-malformed", `configuration: ${message}`);
}

/** A terminal data element as terminal-config.ts's JSON field and value (its loader checks the value's rules). */
function terminalField(item: EmvItem): { field: string; value: string | number } {
  const spec = TERMINAL_DATA[item.tag];
  if (spec === undefined) refuse(`terminal data ${item.tag} is not one the reader takes`);
  const v = item.value;
  if (v.length < spec.bytes[0] || v.length > spec.bytes[1]) refuse(`terminal data ${item.tag} has the wrong length`);
  switch (spec.form) {
    case "hex": case "bcd-digits": return { field: spec.field, value: toHex(v) };
    // n1 in one byte, right-justified (EMV Book 3, 4.3: format n is BCD).
    case "n1": return { field: spec.field, value: (v[0] >> 4) * 10 + (v[0] & 0x0f) };
    case "text": return { field: spec.field, value: String.fromCharCode(...Array.from(v)) };
  }
}

function aidEntry(aid: AidConfiguration, installed: Record<string, unknown> | undefined): Record<string, unknown> {
  const hex = toHex(aid.aid);
  const entry: Record<string, unknown> = installed !== undefined ? { ...installed } : {
    floorLimit: 0, randomSelection: { threshold: 0, targetPercent: 0, maxTargetPercent: 0 }, defaultDdol: DEFAULT_DDOL,
  };
  entry.aid = hex;
  entry.partialSelection = aid.partialSelection;
  if (aid.applicationVersion !== undefined) {
    entry.applicationVersions = [toHex(aid.applicationVersion)];
    delete entry.applicationVersion;
  }
  if (aid.tacDenial !== undefined) entry.tacDenial = toHex(aid.tacDenial);
  if (aid.tacOnline !== undefined) entry.tacOnline = toHex(aid.tacOnline);
  if (aid.tacDefault !== undefined) entry.tacDefault = toHex(aid.tacDefault);
  if (aid.floorLimit !== undefined) entry.floorLimit = aid.floorLimit;
  // A new AID needs what no installed entry gives: its version and its action codes (Book 3, 10.7).
  for (const f of ["tacDenial", "tacOnline", "tacDefault"]) if (entry[f] === undefined) refuse(`AID ${hex} is new and has no ${f}`);
  if (entry.applicationVersions === undefined && entry.applicationVersion === undefined) refuse(`AID ${hex} is new and has no application version`);
  return entry;
}

/** The installed configuration files with the fleet's configuration over them (pure: `base` is not changed). */
export function fleetConfigurationFiles(base: ReaderConfigFiles, fleet: ReaderConfiguration): ReaderConfigFiles {
  const terminal: Record<string, unknown> = { ...(base.terminal as Record<string, unknown>) };
  for (const item of fleet.terminalData) {
    const { field, value } = terminalField(item);
    terminal[field] = value;
  }
  if (fleet.aids.length > 0) {
    const installed = new Map<string, Record<string, unknown>>();
    const apps = Array.isArray(terminal.applications) ? (terminal.applications as Record<string, unknown>[]) : [];
    for (const a of apps) if (a !== null && typeof a === "object" && typeof a.aid === "string") installed.set(a.aid.toUpperCase(), a);
    terminal.applications = fleet.aids.map((aid) => aidEntry(aid, installed.get(toHex(aid.aid))));
  }
  const files: ReaderConfigFiles = { ...base, terminal };
  if (fleet.capks.length > 0) {
    // CapkStore.fromJson: a later file's key replaces an installed one of the same RID and index.
    files.capk = [...base.capk, {
      keys: fleet.capks.map((k) => ({
        rid: toHex(k.rid), index: toHex(Uint8Array.of(k.index)), modulus: toHex(k.modulus), exponent: toHex(k.exponent), checksum: toHex(k.checksum),
      })),
    }];
  }
  return files;
}

/** Loads the installed files with the fleet's configuration over them; one the kernel refuses is a ConfigurationError. */
export function loadFleetConfiguration(crypto: CryptoProvider, base: ReaderConfigFiles, fleet: ReaderConfiguration): ReaderConfig {
  const files = fleetConfigurationFiles(base, fleet);
  try {
    return loadReaderConfig(crypto, files);
  } catch (e) {
    if (e instanceof ConfigurationError || !(e instanceof MposError)) throw e;
    // The kernel's loader names the field and the rule, never a key or card data.
    return refuse(`the reader cannot run it (${e.message})`);
  }
}

/**
 * The installed configuration files, held, or read again from storage when a fleet configuration
 * comes (the device: the parsed files are not kept in RAM between, issue 10 item 5); null: unreadable.
 */
export type InstalledFiles = ReaderConfigFiles | (() => Promise<ReaderConfigFiles | null>);

/** loadFleetConfiguration over the installed files, read again first when they are not held. */
export async function loadOverInstalled(crypto: CryptoProvider, installed: InstalledFiles, fleet: ReaderConfiguration): Promise<ReaderConfig> {
  const base = typeof installed === "function" ? await installed() : installed;
  if (base === null) return refuse("the installed configuration is not readable");
  return loadFleetConfiguration(crypto, base, fleet);
}

export interface ActiveConfigurationOptions {
  /** Where the configuration is kept for the next start-up. */
  stored: ConfigurationStore;
  /** The reader configuration a fleet configuration makes (loadFleetConfiguration over the installed files). */
  load(fleet: ReaderConfiguration): ReaderConfig | Promise<ReaderConfig>;
  /** A payment is running now. */
  inPayment(): boolean;
  /** Makes `config` the running reader's configuration (between payments). */
  apply(config: ReaderConfig): void;
}

/** The ConfigurationStore the payment engine installs through: checked, stored, then applied at once or after the payment. */
export class ActiveConfiguration implements ConfigurationStore {
  private pending: ReaderConfig | null = null;

  constructor(private readonly o: ActiveConfigurationOptions) {}

  version(): Promise<number> {
    return this.o.stored.version();
  }

  async install(fleet: ReaderConfiguration): Promise<void> {
    const config = await this.o.load(fleet);
    await this.o.stored.install(fleet);
    if (this.o.inPayment()) this.pending = config;
    else {
      this.pending = null;
      this.o.apply(config);
    }
  }

  /** A configuration installed during a payment, waiting for its end. */
  get waiting(): boolean {
    return this.pending !== null;
  }

  /** The payment ended: a configuration that waited for it takes effect now. */
  paymentEnded(): void {
    const config = this.pending;
    if (config === null) return;
    this.pending = null;
    this.o.apply(config);
  }
}
