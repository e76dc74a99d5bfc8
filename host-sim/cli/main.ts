import { MposError } from "../../kernel/errors";
import { parseArgs, UsageError } from "./args";
import type { CliIo, Command } from "./command";
import { commands } from "./commands";

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.length <= argv.length && c.path.every((w, i) => argv[i] === w)) {
      if (!best || c.path.length > best.path.length) best = c;
    }
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

function commandList(prefix: string[] = []): string {
  const lines = commands
    .filter((c) => prefix.every((w, i) => c.path[i] === w))
    .map((c) => `  mpos ${c.path.join(" ").padEnd(24)} ${c.summary}`);
  return `usage: mpos <command> [options] [--json]\n\ncommands:\n${lines.join("\n")}\n\n` +
    `Every command takes --help, and --json for one JSON object on stdout.\n`;
}

/** Runs one command line; returns the exit status. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes("--json");
  const fail = (message: string, status: number): number => {
    io.stderr(`error: ${message}\n`);
    if (json) io.stdout(JSON.stringify({ error: message }) + "\n");
    return status;
  };
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "help") {
    io.stdout(commandList());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const words = argv.filter((a) => !a.startsWith("--"));
    const group = commands.some((c) => c.path[0] === words[0]) ? [words[0]] : [];
    if (argv.includes("--help") && group.length > 0) {
      io.stdout(commandList(group));
      return 0;
    }
    io.stderr(commandList(group));
    return fail(`unknown command: ${words.slice(0, 2).join(" ")}`, 2);
  }
  const { command, rest } = found;
  try {
    const args = parseArgs(rest, command.booleanFlags);
    if (args.options.get("help") === true) {
      io.stdout(`usage: ${command.usage}\n`);
      return 0;
    }
    const result = await command.run(args, io);
    if (json) io.stdout(JSON.stringify(result) + "\n");
    else io.stdout((command.format ? command.format(result) : JSON.stringify(result, null, 2)) + "\n");
    return command.exitCode ? command.exitCode(result) : 0;
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} (usage: ${command.usage.split("\n")[0]})`, 2);
    if (e instanceof MposError) return fail(e.message, 2);
    // A bug: say so plainly. Messages of internal errors carry no card data by construction.
    return fail(`internal error: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
}

/** The process entry: runs argv and sets the exit status. */
export async function main(argv: string[]): Promise<void> {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
  };
  process.exitCode = await runCli(argv, io);
}
