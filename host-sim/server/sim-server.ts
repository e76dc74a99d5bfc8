import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo, Socket } from "net";
import { WebSocketServer, type WebSocket } from "ws";
import { toHex } from "../../kernel/bytes";
import { InputError, MposError } from "../../kernel/errors";
import { ServiceError, type EngineName } from "../xs-engine/kernel-engine";
import { XsEngineError } from "../xs-engine/xsnap-worker";
import { checkAuthorisationData } from "./issuer-desk";
import { buildPageAssets, type PageAssets } from "./page-bundle";
import { decodeWire, encodeWire, MAX_WIRE_BYTES } from "./page-wire";
import { renderReaderPage } from "./reader-page";
import { ScenarioRunner } from "./scenarios";
import { FAULT_KINDS, SimSession, type FaultKind, type SessionEvent } from "./sim-session";
import { checkCustomCard } from "./wallet";

// The host simulator's web server (issue 11): the page of the reader, its script and style, a JSON
// API for what the page's hands do (keys, cards, faults, scenarios, the demo phone's acquirer), and
// a WebSocket event stream (/events) that pushes the reader's state, log lines, beeps and issuer
// decisions to every open page, so the page updates live without reloading. The GATT bridge the
// demo phone app connects to is the session's (its own WebSocket port, given in /api/status).

export interface SimServerOptions {
  port: number;
  host?: string;
  engine: EngineName;
  /** Where the session's log lines go (the terminal). */
  log?: (line: string) => void;
  /** Told each start-up step ("building the page", "booting the firmware"). */
  progress?: (step: string) => void;
}

export interface RunningSimServer {
  url: string;
  bleUrl: string;
  session: SimSession;
  close(): Promise<void>;
}

export class PortBusyError extends MposError {
  constructor(port: number) {
    super("port-busy", `port ${port} is already in use (another simulator?): stop the other program or pass --port N (0 picks a free one)`);
  }
}

/** The XS engine is not there (not built) or did not start: say how to get it, or how to do without. */
export class EngineMissingError extends MposError {
  constructor(cause: string) {
    super("engine-missing", `${cause.replace(/\.$/, "")}; or run the firmware on Node: mpos sim serve --engine node`);
  }
}

type Handler = (body: unknown, query: URLSearchParams) => Promise<unknown> | unknown;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function str(body: unknown, field: string): string {
  const v = body !== null && typeof body === "object" ? (body as Record<string, unknown>)[field] : undefined;
  if (typeof v !== "string" || v.length === 0 || v.length > 64) throw new InputError("request", `${field} must be a short string`);
  return v;
}

/** Reads a request body of at most MAX_WIRE_BYTES; a longer one is drained and refused (413), a far longer one cut off. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_WIRE_BYTES) chunks.push(c);
      else if (size > 16 * MAX_WIRE_BYTES) req.destroy();
    });
    req.on("end", () => {
      if (size > MAX_WIRE_BYTES) reject(new HttpError(413, `a request body is at most ${MAX_WIRE_BYTES} bytes`));
      else resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

/** Whether an error is the caller's (a 400) rather than the server's: typed errors, also those the XS engine reports. */
function isInputError(e: unknown): boolean {
  return e instanceof MposError || (e instanceof ServiceError && e.code !== null && e.code !== "no-service");
}

export async function startSimServer(options: SimServerOptions): Promise<RunningSimServer> {
  const progress = options.progress ?? (() => undefined);
  // The port first: a busy one is reported at once, before seconds of building and booting.
  let app: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => {
    if (app) return app(req, res);
    res.writeHead(503, { "content-type": "text/plain", "retry-after": "2" });
    res.end("the simulator is starting\n");
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => reject(e.code === "EADDRINUSE" ? new PortBusyError(options.port) : e));
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let assets: PageAssets;
  let session: SimSession;
  try {
    progress("building the page script");
    assets = await buildPageAssets();
    progress(`booting the reader firmware on ${options.engine === "xs" ? "the XS engine" : "Node"}`);
    session = await SimSession.start({ engine: options.engine, log: options.log });
  } catch (e) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (e instanceof XsEngineError) throw new EngineMissingError(e.message);
    throw e;
  }
  const scenarios = new ScenarioRunner(options.engine);

  const status = () => ({
    engine: session.engineName,
    state: session.state(),
    cards: session.wallet.list(),
    logs: session.recentLogs(),
    issuer: session.desk.recent(),
    fleetCaPublicKey: toHex(session.fleetCaPublicKey),
    scenarios: scenarios.list(),
  });

  const post: Record<string, Handler> = {
    "/api/key": (b) => session.press(str(b, "key")),
    "/api/card/insert": (b) => session.insert(str(b, "card")),
    "/api/card/remove": () => session.removeCard(),
    "/api/card/swipe": (b) => session.swipe(str(b, "card")),
    "/api/card/tap": (b) => session.tap(str(b, "card")),
    "/api/card/take-away": () => session.takeAway(),
    "/api/cards": (b) => session.addCustomCard(checkCustomCard(b)),
    "/api/fault": (b) => {
      const kind = str(b, "kind");
      if (FAULT_KINDS.indexOf(kind as FaultKind) < 0) throw new InputError("fault", `kind must be one of ${FAULT_KINDS.join(", ")}`);
      return session.fault(kind as FaultKind);
    },
    "/api/scenario/run": async (b) => {
      if (b === null || typeof b !== "object" || !("scenario" in b)) throw new InputError("scenario", "expected { scenario: {...} }");
      session.log("scenario", "running a scenario on the simulated reader");
      const report = await scenarios.run((b as { scenario: unknown }).scenario);
      session.log("scenario", `scenario done: ${report.outcome}${report.maskedPan ? `, card ${report.maskedPan}` : ""}`);
      return report;
    },
  };
  const get: Record<string, Handler> = {
    "/api/status": () => status(),
    "/api/cards": () => session.wallet.list(),
    "/api/scenario": (_b, q) => scenarios.read(q.get("name") ?? ""),
  };

  const send = (res: ServerResponse, code: number, type: string, body: string) => {
    res.writeHead(code, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (req.method === "GET" && (path === "/" || path === "/index.html")) return send(res, 200, "text/html; charset=utf-8", renderReaderPage());
    if (req.method === "GET" && path === "/app.js") return send(res, 200, "text/javascript; charset=utf-8", assets.script);
    if (req.method === "GET" && path === "/page.css") return send(res, 200, "text/css; charset=utf-8", assets.style);
    if (req.method === "GET" && path === "/favicon.ico") return send(res, 204, "image/x-icon", "");
    // The demo phone's acquirer: bytes travel in the page's wire form (page-wire.ts).
    if (req.method === "POST" && path === "/api/acquirer/authorise") {
      const data = checkAuthorisationData(decodeWire(await readBody(req)));
      return send(res, 200, "application/json", encodeWire(session.desk.authorise(data)));
    }
    const table = req.method === "GET" ? get : req.method === "POST" ? post : undefined;
    const handler = table && Object.prototype.hasOwnProperty.call(table, path) ? table[path] : undefined;
    if (!handler) throw new HttpError(404, `no ${req.method} ${path}`);
    let body: unknown = null;
    if (req.method === "POST") {
      const text = await readBody(req);
      try {
        body = text.length > 0 ? JSON.parse(text) : null;
      } catch {
        throw new HttpError(400, "the body is not JSON");
      }
    }
    const result = await handler(body, url.searchParams);
    send(res, 200, "application/json", JSON.stringify(result ?? { ok: true }));
  };

  app = (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.end();
      if (e instanceof HttpError) return send(res, e.status, "application/json", JSON.stringify({ error: e.message }));
      if (isInputError(e)) return send(res, 400, "application/json", JSON.stringify({ error: (e as Error).message }));
      // A bug: logged by name only (messages of internal errors carry no card data, but stay on the server).
      session.log("reader", `internal error on ${req.method} ${req.url?.split("?")[0]}: ${(e as Error)?.name ?? "error"}`);
      send(res, 500, "application/json", JSON.stringify({ error: "internal error" }));
    });
  };

  // The event stream: every page gets the current state, then each change as it happens.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const sockets = new Set<WebSocket>();
  const unsubscribe = session.on((e: SessionEvent) => {
    const text = JSON.stringify(e);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (new URL(req.url ?? "/", "http://localhost").pathname !== "/events") {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on("close", () => sockets.delete(ws));
      ws.send(JSON.stringify({ type: "state", state: session.state() }));
    });
  });

  return {
    url: `http://${host}:${port}/`,
    bleUrl: session.state().ble.url,
    session,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      await scenarios.close();
      await session.close();
    },
  };
}
