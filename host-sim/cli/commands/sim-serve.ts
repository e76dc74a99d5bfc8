import { allowOnly, choice, option, UsageError } from "../args";
import type { Command } from "../command";
import { startSimServer } from "../../server/sim-server";

// `mpos sim serve` (issue 11): the simulator's web page and the GATT bridge, until Ctrl-C or
// SIGTERM. It prints the page's address, a progress line per start-up step, then the session's log
// (masked card data only) as it happens. A busy port is an error that says what to do.

export interface ServeResult {
  url: string;
  ble: string;
  engine: string;
  stopped: true;
}

/** Resolves on the first SIGINT or SIGTERM (removing both listeners then). */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(signal);
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
}

export const simServe: Command = {
  path: ["sim", "serve"],
  summary: "serve the simulator's web page and GATT bridge until stopped (firmware on XS by default)",
  usage: "mpos sim serve [--port N] [--engine xs|node] [--quiet]\n" +
    "  --port N       TCP port of the page on 127.0.0.1 (default 8080; 0 picks a free one)\n" +
    "  --engine E     run the reader firmware on the real XS engine (xs, default) or in-process on Node (node)\n" +
    "  --quiet        do not print the session's log, only the address\n" +
    "Open the printed address in a browser: the reader (display, keypad, lights), the wallet of virtual cards,\n" +
    "the demo phone app and the issuer host. Stop with Ctrl-C.",
  booleanFlags: ["quiet"],
  async run(args, io) {
    allowOnly(args, ["port", "engine", "quiet"]);
    if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
    const portText = option(args, "port") ?? "8080";
    const port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port > 65535) throw new UsageError("--port must be 0-65535");
    const engine = choice(option(args, "engine") ?? "xs", ["xs", "node"] as const, "--engine");
    const quiet = args.options.get("quiet") === true;
    let step = 0;
    const server = await startSimServer({
      port,
      engine,
      log: quiet ? undefined : (line) => io.stderr(line),
      progress: (what) => io.stderr(`[${++step}/2] ${what}...\n`),
    });
    // The address goes to stdout (where a person or a script looks for it); with --json stdout is
    // kept for the one JSON object of the result, so it goes to stderr.
    const say = args.options.get("json") === true ? io.stderr : io.stdout;
    say(`mPOS simulator ready, firmware on ${engine === "xs" ? "the XS engine" : "Node"}:\n` +
      `  page         ${server.url}\n  GATT bridge  ${server.bleUrl}\nPress Ctrl-C to stop.\n`);
    const signal = await untilStopped();
    io.stderr(`${signal}: stopping the simulator...\n`);
    await server.close();
    return { url: server.url, ble: server.bleUrl, engine, stopped: true } satisfies ServeResult;
  },
  format(result) {
    const r = result as ServeResult;
    return `stopped (the page was ${r.url})`;
  },
};
