import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { MposError } from "../../kernel/errors";
import { startKernelEngine, type EngineName, type KernelEngine } from "../xs-engine/kernel-engine";
import { renderReaderPage } from "./reader-page";

// The host simulator's web server: the page of the reader and its status as JSON. Later issues add
// the virtual hardware, the GATT bridge (WebSocket) and the wallet of cards to the same server.

export interface SimServerOptions {
  port: number;
  host?: string;
  engine: EngineName;
}

export interface RunningSimServer {
  url: string;
  engine: KernelEngine;
  close(): Promise<void>;
}

export class PortBusyError extends MposError {
  constructor(port: number) {
    super("port-busy", `port ${port} is already in use: stop the other program or pass --port N (0 picks a free one)`);
  }
}

export async function startSimServer(options: SimServerOptions): Promise<RunningSimServer> {
  const engine = await startKernelEngine(options.engine);
  const selfTest = await engine.call("selftest.run");
  const status = () => ({ engine: engine.name, selfTest: selfTest.value, meter: selfTest.meter });

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/api/status") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(status()));
    } else if (req.method === "GET" && (path === "/" || path === "/index.html")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(renderReaderPage());
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    }
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      reject(e.code === "EADDRINUSE" ? new PortBusyError(options.port) : e);
    });
    server.listen(options.port, host, () => resolve());
  }).catch(async (e) => {
    await engine.close();
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/`,
    engine,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
    },
  };
}
