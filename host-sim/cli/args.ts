import { InputError } from "../../kernel/errors";

/** Command-line arguments after the command's words: `--name value`, `--flag`, and positionals. */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

export class UsageError extends InputError {
  constructor(message: string) {
    super("usage", message);
    this.name = "UsageError";
  }
}

/** Flags that never take a value (everything else after `--name` takes the next word). */
const BOOLEAN_FLAGS = new Set(["json", "help"]);

export function parseArgs(argv: string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (options.has(name)) throw new UsageError(`--${name} given twice`);
      if (eq > 0) options.set(name, a.slice(eq + 1));
      else if (BOOLEAN_FLAGS.has(name) || booleanFlags.includes(name)) options.set(name, true);
      else {
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith("--") && next.length > 2)) {
          throw new UsageError(`--${name} needs a value`);
        }
        options.set(name, next);
        i++;
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, options };
}

/** The string value of a required option. */
export function requireOption(args: ParsedArgs, name: string): string {
  const v = args.options.get(name);
  if (v === undefined) throw new UsageError(`missing --${name}`);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

/** The string value of an optional option, or undefined. */
export function option(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

/** Refuses options the command does not know, so a typo is an error and not a silent default. */
export function allowOnly(args: ParsedArgs, names: readonly string[]): void {
  for (const name of args.options.keys()) {
    if (name !== "json" && name !== "help" && !names.includes(name)) {
      throw new UsageError(`unknown option --${name}`);
    }
  }
}

/** One of a fixed set of words. */
export function choice<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${what} must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}
