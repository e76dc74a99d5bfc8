import { arpc, cryptogram, iccMasterKey, sessionKey } from "../../xs-engine/services/emv-crypto";
import { allowOnly, choice, option, requireOption, UsageError } from "../args";
import type { Command } from "../command";

// `mpos emv ...`: the EMV Book 2 symmetric functions (issue 6, item 5). Keys and cryptograms the user
// asks for are printed: these are developer tools for test keys.

export const emvIccMk: Command = {
  path: ["emv", "icc-mk"],
  summary: "ICC master key from an issuer master key, PAN and PSN (EMV Book 2 A1.4, option A or B)",
  usage:
    "mpos emv icc-mk --imk HEX --pan DIGITS --psn NN [--option A|B] [--json]\n" +
    "  --imk HEX      issuer master key, 16 bytes\n" +
    "  --pan DIGITS   application PAN (tag 5A), 12 to 19 digits\n" +
    "  --psn NN       PAN sequence number (tag 5F34), 2 digits; 00 when the card has none\n" +
    "  --option A|B   derivation option (default A; B differs only for PANs over 16 digits)",
  async run(args) {
    allowOnly(args, ["imk", "pan", "psn", "option"]);
    const opt = choice(option(args, "option") ?? "A", ["A", "B"] as const, "--option");
    return iccMasterKey({ imk: requireOption(args, "imk"), pan: requireOption(args, "pan"), psn: requireOption(args, "psn"), option: opt });
  },
  format: (r) => (r as { key: string }).key,
};

export const emvSessionKey: Command = {
  path: ["emv", "session-key"],
  summary: "application cryptogram session key from an ICC master key and the ATC (EMV Book 2 A1.3.1)",
  usage:
    "mpos emv session-key --mk HEX --atc HEX [--json]\n" +
    "  --mk HEX    ICC master key, 16 bytes\n" +
    "  --atc HEX   application transaction counter (tag 9F36), 2 bytes",
  async run(args) {
    allowOnly(args, ["mk", "atc"]);
    return sessionKey({ mk: requireOption(args, "mk"), atc: requireOption(args, "atc") });
  },
  format: (r) => (r as { key: string }).key,
};

export const emvAc: Command = {
  path: ["emv", "ac"],
  summary: "application cryptogram: ISO/IEC 9797-1 MAC algorithm 3, padding method 2 (EMV Book 2 8.1)",
  usage:
    "mpos emv ac --key HEX --data HEX [--json]\n" +
    "  --key HEX    session key, 16 bytes\n" +
    "  --data HEX   the cryptogram input (e.g. the Table 25 data elements)",
  async run(args) {
    allowOnly(args, ["key", "data"]);
    return cryptogram({ key: requireOption(args, "key"), data: requireOption(args, "data") });
  },
  format: (r) => (r as { cryptogram: string }).cryptogram,
};

export const emvArpc: Command = {
  path: ["emv", "arpc"],
  summary: "authorisation response cryptogram, method 1 or 2 (EMV Book 2 8.2, A1.2)",
  usage:
    "mpos emv arpc --method 1 --key HEX --arqc HEX --arc HEX [--json]\n" +
    "mpos emv arpc --method 2 --key HEX --arqc HEX --csu HEX [--pad HEX] [--json]\n" +
    "  --key HEX    session key, 16 bytes\n" +
    "  --arqc HEX   the card's ARQC, 8 bytes\n" +
    "  --arc HEX    authorisation response code (tag 8A), 2 bytes (method 1)\n" +
    "  --csu HEX    card status update, 4 bytes (method 2)\n" +
    "  --pad HEX    proprietary authentication data, 0 to 8 bytes (method 2)",
  async run(args) {
    allowOnly(args, ["method", "key", "arqc", "arc", "csu", "pad"]);
    const method = choice(requireOption(args, "method"), ["1", "2"] as const, "--method");
    if (method === "1") {
      if (option(args, "csu") !== undefined || option(args, "pad") !== undefined) throw new UsageError("--csu and --pad are for --method 2");
      return arpc({ method: 1, key: requireOption(args, "key"), arqc: requireOption(args, "arqc"), arc: requireOption(args, "arc") });
    }
    if (option(args, "arc") !== undefined) throw new UsageError("--arc is for --method 1");
    return arpc({ method: 2, key: requireOption(args, "key"), arqc: requireOption(args, "arqc"), csu: requireOption(args, "csu"), pad: option(args, "pad") });
  },
  format: (r) => (r as { arpc: string }).arpc,
};

