import { allowOnly, choice, option, UsageError } from "../args";
import type { Command } from "../command";
import { startSimServer } from "../../server/sim-server";

export const simServe: Command = {
  path: ["sim", "serve"],
  summary: "serve the simulator's web page until stopped (engine xs by default)",
  usage: "mpos sim serve [--port N] [--engine xs|node]\n" +
    "  --port N       TCP port on 127.0.0.1 (default 8080; 0 picks a free one)\n" +
    "  --engine E     run the firmware on the real XS engine (xs, default) or in-process on Node (node)",
  async run(args, io) {
    allowOnly(args, ["port", "engine"]);
    const portText = option(args, "port") ?? "8080";
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError("--port must be 0-65535");
    const engine = choice(option(args, "engine") ?? "xs", ["xs", "node"] as const, "--engine");
    const server = await startSimServer({ port, engine });
    io.stderr(`mPOS simulator (firmware on ${engine === "xs" ? "the XS engine" : "Node"}): open ${server.url}\n` +
      "Press Ctrl-C to stop.\n");
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await server.close();
    return { url: server.url, stopped: true };
  },
};
