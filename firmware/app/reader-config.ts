import { loadContactlessConfig, type ContactlessConfig } from "../../kernel/contactless/config";
import type { CryptoProvider } from "../../kernel/crypto";
import { InputError } from "../../kernel/errors";
import { CapkStore, CertificateRevocationList } from "../../kernel/emv/oda";
import { createOdaEnvironment, type OdaEnvironment } from "../../kernel/emv/oda-environment";
import { loadTerminalConfig, type TerminalConfig } from "../../kernel/emv/terminal-config";

// The reader's configuration as it arrives from outside (the fleet's signed configuration on the
// device, the simulator's files in `mpos sim run`): the EMV terminal configuration, the CA public
// keys and the certificate revocation list, each checked by the kernel's own loader.

export interface ReaderConfigFiles {
  /** kernel/emv/terminal-config.ts, loadTerminalConfig's JSON. */
  terminal: unknown;
  /** CapkStore.fromJson files (EMV Book 2, 6.3: the CA public keys by RID and index). */
  capk: unknown[];
  /** CertificateRevocationList.fromJson's JSON (EMV Book 2, 5.1.2 / 6.3). */
  crl: unknown;
  /** kernel/contactless/config.ts without its terminal part (which is `terminal`); absent: no contactless payments. */
  contactless?: Record<string, unknown>;
  /** kernel/transaction/config.ts, loadTransactionConfig's JSON (absent: its defaults). */
  transaction?: unknown;
}

export interface ReaderConfig {
  terminal: TerminalConfig;
  oda: OdaEnvironment;
  contactless: ContactlessConfig | null;
}

export function loadReaderConfig(crypto: CryptoProvider, files: ReaderConfigFiles): ReaderConfig {
  if (files === null || typeof files !== "object" || !Array.isArray(files.capk)) {
    throw new InputError("reader-config", "the reader configuration needs terminal, capk (a list) and crl");
  }
  const terminal = loadTerminalConfig(files.terminal);
  const oda = createOdaEnvironment(crypto, CapkStore.fromJson(crypto, ...files.capk), CertificateRevocationList.fromJson(files.crl));
  let contactless: ContactlessConfig | null = null;
  if (files.contactless !== undefined) {
    if (files.contactless === null || typeof files.contactless !== "object") throw new InputError("reader-config", "contactless must be an object");
    contactless = loadContactlessConfig(files.contactless, terminal);
  }
  return { terminal, oda, contactless };
}
