import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { loadContactlessConfig, type ContactlessConfig } from "../../kernel/contactless/config";
import { performContactlessTransaction, type ContactlessOutcome } from "../../kernel/contactless/transaction";
import type { UiRequest } from "../../kernel/contactless/ui";
import { TRANSACTION_TYPE, type TransactionParams } from "../../kernel/emv/context";
import { CapkStore, CertificateRevocationList } from "../../kernel/emv/oda";
import { createOdaEnvironment } from "../../kernel/emv/oda-environment";
import { createPcd } from "../../kernel/iso14443/pcd";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../../host-sim/cards";
import { issuerWithWallets } from "../../host-sim/picc/run-contactless";
import type { IccApplet } from "../../host-sim/icc/applet";
import { ModeledClock } from "../../host-sim/picc/modeled-clock";
import { VirtualField, type PlacedPicc } from "../../host-sim/picc/virtual-field";
import { VirtualPicc } from "../../host-sim/picc/virtual-picc";
import { provisionReaderKeys } from "../../host-sim/sim/reader-keys";
import { ScriptedCardholder } from "../../host-sim/sim/scripted-cardholder";
import { SeededRandom } from "../../host-sim/sim/seeded-random";
import terminalJson from "../../host-sim/sim/terminal-config.json";
import contactlessJson from "../../host-sim/picc/contactless-config.json";

export const hex = (h: string) => fromHex(h.replace(/\s+/g, ""));

/** The simulated reader's configuration, with JSON overrides of the contactless part. */
export function readerConfig(overrides: Record<string, unknown> = {}): ContactlessConfig {
  return loadContactlessConfig({ ...JSON.parse(JSON.stringify(contactlessJson)), terminal: JSON.parse(JSON.stringify(terminalJson)), ...overrides });
}

export function params(amount: number): TransactionParams {
  return {
    amount, amountOther: 0, transactionType: TRANSACTION_TYPE.goodsAndServices,
    date: { year: 2025, month: 6, day: 1 }, time: { hour: 12, minute: 0, second: 0 }, sequenceCounter: 1, merchantForcedOnline: false,
  };
}

/** A PICC around any applet (an ISO-DEP Type A card with a fixed UID). */
export function piccWith(applet: IccApplet, uid = "04A1B2C3D4E5F6"): VirtualPicc {
  return new VirtualPicc({ technology: "A", identifier: hex(uid), applet });
}

/** A whole transaction with these PICCs in the field, against the simulator's issuer host. */
export async function tap(cards: (VirtualPicc | PlacedPicc)[], amount: number, config = readerConfig()): Promise<{ out: ContactlessOutcome; ui: UiRequest[]; clock: ModeledClock }> {
  const c = softwareCrypto;
  const clock = new ModeledClock();
  const field = new VirtualField({ clock, cards: cards.map((p) => (p instanceof VirtualPicc ? { picc: p } : p)) });
  const random = new SeededRandom(c, hex("0000000100"));
  const keys = await provisionReaderKeys(c, random);
  const ui: UiRequest[] = [];
  const out = await performContactlessTransaction({
    config, params: params(amount), pcd: createPcd({ controller: field, clock }),
    deps: {
      crypto: c, random, clock, ui: { request: (r) => ui.push(r) }, cardholder: new ScriptedCardholder(["1234"]),
      authorizer: issuerWithWallets(), protector: keys.store, pinEncryptor: keys.store,
      oda: createOdaEnvironment(c, CapkStore.fromJson(c, SIM_CAPK_FILE), CertificateRevocationList.fromJson(SIM_CRL_FILE)),
    },
  });
  return { out, ui, clock };
}

/** An applet in front of another that rewrites the answer to chosen commands (by INS). */
export function rewriting(inner: IccApplet, ins: number, rewrite: (response: Uint8Array, command: Uint8Array) => Uint8Array): IccApplet {
  return {
    reset: (k) => inner.reset(k),
    process: (cmd) => {
      const r = inner.process(cmd);
      return cmd[1] === ins ? rewrite(r, cmd) : r;
    },
    processingUs: (cmd) => (inner.processingUs ? inner.processingUs(cmd) : 2000),
  };
}
