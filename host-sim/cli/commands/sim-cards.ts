import { maskPan } from "../../../kernel/security";
import { cardProfiles, CVM, type CardProfile } from "../../cards";
import { allowOnly } from "../args";
import type { Command } from "../command";

// `mpos sim cards`: the simulator's virtual cards (issue 6, item 3), masked PANs only.

const CVM_NAMES: Record<number, string> = {
  [CVM.failCvm]: "fail-cvm",
  [CVM.offlinePlaintextPin]: "offline-plaintext-pin",
  [CVM.onlinePin]: "online-pin",
  [CVM.offlinePlaintextPinAndSignature]: "offline-plaintext-pin-and-signature",
  [CVM.offlineEncipheredPin]: "offline-enciphered-pin",
  [CVM.offlineEncipheredPinAndSignature]: "offline-enciphered-pin-and-signature",
  [CVM.signature]: "signature",
  [CVM.noCvm]: "no-cvm",
};

export interface SimCardSummary {
  id: string;
  interfaces: string[];
  description: string;
  scheme: string;
  chip: "emv" | "mute" | "none";
  maskedPan: string;
  expiry: string;
  serviceCode: string;
  aid?: string;
  label?: string;
  oda?: string;
  cvmList?: string[];
  arpcMethod?: 1 | 2;
}

export function summarize(p: CardProfile): SimCardSummary {
  const s: SimCardSummary = {
    id: p.id, interfaces: [...p.interfaces], description: p.description, scheme: p.scheme, chip: p.chip,
    maskedPan: maskPan(p.pan), expiry: `${p.expiry.slice(2, 4)}/${p.expiry.slice(0, 2)}`, serviceCode: p.serviceCode,
  };
  if (p.application) {
    s.aid = p.application.aid;
    s.label = p.application.label;
    s.oda = p.application.oda;
    s.cvmList = p.application.cvmList.map((r) => CVM_NAMES[r.method] ?? `cvm-${r.method.toString(16)}`);
    s.arpcMethod = p.application.arpcMethod;
  }
  return s;
}

export const simCards: Command = {
  path: ["sim", "cards"],
  summary: "list the simulator's virtual cards (profiles for `mpos sim run --card`)",
  usage: "mpos sim cards [--json]",
  async run(args) {
    allowOnly(args, []);
    return { cards: cardProfiles.map(summarize) };
  },
  format(result) {
    const cards = (result as { cards: SimCardSummary[] }).cards;
    return cards.map((c) => `${c.id.padEnd(20)} ${c.maskedPan.padEnd(20)} ${c.interfaces.join(",").padEnd(28)} ${c.description}`).join("\n");
  },
};
