import { randomFillSync } from "crypto";
import type { RandomSource } from "../../../hal/random";
import { fromHex, toHex } from "../../../kernel/bytes";
import { softwareCrypto as c } from "../../../kernel/crypto";
import { unwrapKeyBlock, wrapKeyBlock } from "../../../kernel/security";
import { allowOnly, choice, option, requireOption } from "../args";
import type { Command } from "../command";

// TR-31 / ANSI X9.143 key blocks, versions B (TDEA) and D (AES): how keys are prepared for
// injection into the reader and checked afterwards.

const hostRandom: RandomSource = { fill: (bytes) => { randomFillSync(bytes); } };

export const tr31UnwrapCommand: Command = {
  path: ["tr31", "unwrap"],
  summary: "check and open a TR-31 key block (versions B and D): its header and the key",
  usage:
    "mpos tr31 unwrap --kbpk HEX --block STRING [--json]\n" +
    "  --kbpk HEX       key block protection key (TDEA 16/24 bytes for B, AES 16/24/32 for D)\n" +
    "  --block STRING   the key block",
  async run(args) {
    allowOnly(args, ["kbpk", "block"]);
    const r = unwrapKeyBlock(c, fromHex(requireOption(args, "kbpk")), requireOption(args, "block"));
    return { header: r.header, key: toHex(r.key) };
  },
};

export const tr31WrapCommand: Command = {
  path: ["tr31", "wrap"],
  summary: "wrap a key into a TR-31 key block (version B under a TDEA KBPK, D under an AES KBPK)",
  usage:
    "mpos tr31 wrap --kbpk HEX --version B|D --usage XX --algorithm X --mode X --key HEX\n" +
    "               [--exportability X] [--key-version XX] [--ksn HEX] [--json]\n" +
    "  --usage XX         key usage, e.g. B1 (initial DUKPT key), P0 (PIN), K1 (KBPK)\n" +
    "  --algorithm X      A (AES), T (TDEA), D (DES), H (HMAC) ...\n" +
    "  --mode X           mode of use: E, D, B, X (derive), N, C, G, V ...\n" +
    "  --exportability X  E (default), N or S\n" +
    "  --key-version XX   default 00\n" +
    "  --ksn HEX          optional block KS: the initial KSN of a DUKPT key (20 hex digits)",
  async run(args) {
    allowOnly(args, ["kbpk", "version", "usage", "algorithm", "mode", "key", "exportability", "key-version", "ksn"]);
    const ksn = option(args, "ksn");
    const block = wrapKeyBlock(c, fromHex(requireOption(args, "kbpk")), fromHex(requireOption(args, "key")), {
      version: choice(requireOption(args, "version"), ["B", "D"] as const, "--version"),
      usage: requireOption(args, "usage"),
      algorithm: requireOption(args, "algorithm"),
      modeOfUse: requireOption(args, "mode"),
      keyVersion: option(args, "key-version") ?? "00",
      exportability: option(args, "exportability") ?? "E",
      optionalBlocks: ksn === undefined ? [] : [{ id: "KS", data: ksn.toUpperCase() }],
      random: hostRandom,
    });
    return { block };
  },
  format: (r) => (r as { block: string }).block,
};
