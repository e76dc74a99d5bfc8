import type { ParsedArgs } from "./args";

/** Where a command writes: stdout for the result, stderr for progress and diagnostics. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The working directory for relative file paths. */
  cwd: string;
}

/**
 * One `mpos` command. The CLI rules (issue 2): with --json exactly one JSON object on stdout and
 * exit 0; bad input is an MposError (exit 2, `error: ...` on stderr, `{"error":"..."}` with --json).
 * Hex in results is uppercase. A command never prints a PAN, PIN, track data or key it was not
 * explicitly asked to compute.
 */
export interface Command {
  /** The words that name it: ["decode", "tlv"]. */
  path: string[];
  /** One line for the command list. */
  summary: string;
  /** The usage line and option help shown by --help. */
  usage: string;
  /** Options that take no value, besides --json and --help. */
  booleanFlags?: readonly string[];
  run(args: ParsedArgs, io: CliIo): Promise<object>;
  /** Human-readable rendering without --json; pretty JSON when absent. */
  format?(result: object): string;
  /** Exit status for a result that ran but is "not good" (e.g. `firmware verify`); 0 when absent. */
  exitCode?(result: object): number;
}
