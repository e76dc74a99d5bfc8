import { fromHex, toHex } from "../../../kernel/bytes";
import { softwareCrypto as c } from "../../../kernel/crypto";
import {
  AES_DUKPT_USAGES, DUKPT_KEY_TYPES, TDES_DUKPT_VARIANTS, dukptAesHostKey, dukptAesInitialKey, dukptTdesHostKey,
  dukptTdesIpek, parseAesKsn,
} from "../../../kernel/security";
import { allowOnly, choice, requireOption } from "../args";
import type { Command } from "../command";

// Host-side DUKPT derivation, as an HSM does it from the BDK: the tool for checking what a reader
// sends. Uppercase hex in, uppercase hex out.

function lines(result: object): string {
  return Object.entries(result).map(([k, v]) => `${k}: ${String(v)}`).join("\n");
}

export const dukptAesCommand: Command = {
  path: ["dukpt", "aes"],
  summary: "AES DUKPT (ANSI X9.24-3-2017): the Initial Key and a working key from BDK and KSN",
  usage:
    "mpos dukpt aes --bdk HEX --ksn HEX --usage U --key-type T [--json]\n" +
    "  --bdk HEX        the base derivation key (AES-128, -192 or -256)\n" +
    "  --ksn HEX        the 12-byte KSN (24 hex digits): Initial Key ID || transaction counter\n" +
    `  --usage U        ${AES_DUKPT_USAGES.join("|")}\n` +
    `  --key-type T     ${DUKPT_KEY_TYPES.join("|")} (never stronger than the BDK)`,
  async run(args) {
    allowOnly(args, ["bdk", "ksn", "usage", "key-type"]);
    const bdk = fromHex(requireOption(args, "bdk"));
    const ksn = fromHex(requireOption(args, "ksn"));
    const usage = choice(requireOption(args, "usage"), AES_DUKPT_USAGES, "--usage");
    const keyType = choice(requireOption(args, "key-type"), DUKPT_KEY_TYPES, "--key-type");
    const key = dukptAesHostKey(c, bdk, ksn, usage, keyType);
    const initialKey = dukptAesInitialKey(c, bdk, parseAesKsn(ksn).initialKeyId);
    return { initialKey: toHex(initialKey), key: toHex(key) };
  },
  format: lines,
};

export const dukptTdesCommand: Command = {
  path: ["dukpt", "tdes"],
  summary: "TDES DUKPT (ANSI X9.24-1-2009): the IPEK and a variant key from BDK and KSN",
  usage:
    "mpos dukpt tdes --bdk HEX --ksn HEX --variant V [--json]\n" +
    "  --bdk HEX        the base derivation key (double-length TDEA, 16 bytes)\n" +
    "  --ksn HEX        the 10-byte KSN (20 hex digits): initial KSN || 21-bit counter\n" +
    `  --variant V      ${TDES_DUKPT_VARIANTS.join("|")}`,
  async run(args) {
    allowOnly(args, ["bdk", "ksn", "variant"]);
    const bdk = fromHex(requireOption(args, "bdk"));
    const ksn = fromHex(requireOption(args, "ksn"));
    const variant = choice(requireOption(args, "variant"), TDES_DUKPT_VARIANTS, "--variant");
    const key = dukptTdesHostKey(c, bdk, ksn, variant);
    return { ipek: toHex(dukptTdesIpek(c, bdk, ksn)), key: toHex(key) };
  },
  format: lines,
};
