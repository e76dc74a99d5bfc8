import type { FuzzTarget } from "../fuzz-target";

// Mutated command lines for the `mpos` toolbox: the input's bytes are the command line (Latin-1,
// words split on spaces). Every run must end in exit 0 or a usage/input error (exit 2); exit 1 is an
// internal error, a finding. Only the pure commands are fuzzed: nothing that serves, waits or
// writes files.

const FUZZED_COMMANDS = ["decode", "dol", "dukpt", "pinblock", "tr31", "emv", "oda"];

class InternalCliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InternalCliError";
  }
}

const SEEDS = [
  "decode tlv 701A9F390105571040123456789095D2512201197339300F82025900 --json",
  "dol build 9F02069F1A02 9F02=000000001234 9F1A=0840 --json",
  "decode atr 3B6500002063CB6600 --json",
  "decode track ;4761739001010010=29122011143804400000? --json",
  "dukpt tdes --bdk 0123456789ABCDEFFEDCBA9876543210 --ksn FFFF9876543210E00001 --variant pin --json",
  "dukpt aes --bdk FEDCBA9876543210F1F1F1F1F1F1F1F1 --ksn 123456789012345600000001 --usage pin --key-type aes128 --json",
  "pinblock encode --format 0 --pin 1234 --pan 5555555551234567 --json",
  "pinblock decode --format 3 --block 341261AAAAEDCBA9 --pan 5555555551234567 --json",
  "emv arpc --method 1 --key AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB --arqc 1234567890ABCDEF --arc 0000 --json",
];

export const cliTarget: FuzzTarget = {
  name: "cli",
  seeds: () => SEEDS.map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0))),
  maxLength: 512,
  async run(input) {
    const argv = String.fromCharCode(...input).split(" ").filter((w) => w.length > 0);
    if (!FUZZED_COMMANDS.includes(argv[0])) return;
    // Loaded on first use: the CLI itself lists this target (mpos fuzz), so a static import would be a cycle.
    const { runCli } = await import("../../cli/main");
    let stderr = "";
    const status = await runCli(argv, { stdout: () => undefined, stderr: (t) => { stderr += t; }, cwd: process.cwd() });
    if (status !== 0 && status !== 2) throw new InternalCliError(`exit ${status}: ${stderr.trim().slice(0, 200)}`);
  },
  isDefinedError: () => false,
};
