import { readFileSync } from "fs";
import { join } from "path";
import WebSocket from "ws";
import { encodeWire } from "../../host-sim/server/page-wire";
import { EngineMissingError, PortBusyError, startSimServer, type RunningSimServer } from "../../host-sim/server/sim-server";
import { XSNAP_WORKER_ENV } from "../../host-sim/xs-engine/xsnap-worker";
import { mpos } from "../support/cli";

// The simulator's web server on the Node engine: the page and its assets, the JSON API the page's
// hands use (every input checked: a bad one is a 400 with a message, never a crash), the live event
// stream, scenario files run from the page exactly as the CLI runs them, a busy port and a missing engine.

let server: RunningSimServer;
const FULL_PANS = ["4761739001010010", "5413330089010012", "4012888888881881", "4895370001010013", "5223450001010013"];

async function call(path: string, body?: unknown, raw?: string): Promise<{ status: number; json: any; text: string }> {
  const init = body === undefined && raw === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: raw ?? JSON.stringify(body) };
  const res = await fetch(new URL(path, server.url), init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

beforeAll(async () => {
  server = await startSimServer({ port: 0, engine: "node" });
});

afterAll(async () => {
  await server?.close();
});

test("serves the page, its script (bundled at start-up) and its style", async () => {
  const page = await call("/");
  expect(page.status).toBe(200);
  expect(page.text).toContain('id="keypad"');
  expect(page.text).toContain('<script src="/app.js"></script>');
  const script = await call("/app.js");
  expect(script.status).toBe(200);
  expect(script.text).toContain("ReaderClient");
  expect((await call("/page.css")).text).toContain(".lcd");
  expect((await call("/nothing")).status).toBe(404);
});

test("status: the reader's state, the wallet with masked PANs only, the fleet CA key and the scenario files", async () => {
  const { status, json, text } = await call("/api/status");
  expect(status).toBe(200);
  expect(json.engine).toBe("node");
  expect(json.state.display[0]).toBe("WELCOME");
  expect(json.state.ble.url).toMatch(/^ws:\/\/127\.0\.0\.1:[0-9]+$/);
  expect(json.cards.find((c: { id: string }) => c.id === "visa-cda").maskedPan).toBe("476173******0010");
  expect(json.fleetCaPublicKey).toMatch(/^04[0-9A-F]{128}$/);
  expect(json.scenarios).toContain("cancel-pin-entry");
  for (const pan of FULL_PANS) expect(text).not.toContain(pan);
});

test("bad input from the page is refused with 400 and a message", async () => {
  expect(await call("/api/key", { key: "A" })).toMatchObject({ status: 400, json: { error: expect.stringContaining("key must be") } });
  expect((await call("/api/key", undefined, "{not json")).status).toBe(400);
  expect((await call("/api/card/insert", { card: "no-such-card" })).json.error).toContain("no card");
  expect((await call("/api/card/insert", {})).status).toBe(400);
  expect((await call("/api/card/swipe", { card: "visa-wallet" })).json.error).toContain("no magnetic stripe");
  expect((await call("/api/fault", { kind: "meteor" })).json.error).toContain("kind must be one of");
  expect((await call("/api/scenario?name=../../package")).status).toBe(400);
  expect((await call("/api/scenario/run", { scenario: { amount: "x", steps: [] } })).status).toBe(400);
  expect((await call("/api/key", undefined, "x".repeat(70 * 1024))).status).toBe(413);
});

test("the card editor checks its fields: Luhn check digit, a real expiry date, a PIN of 4 to 12 digits", async () => {
  expect((await call("/api/cards", { base: "visa-cda", pan: "4761739001010011" })).json.error).toContain("Luhn");
  expect((await call("/api/cards", { base: "visa-cda", expiry: "301331" })).json.error).toContain("expiry");
  expect((await call("/api/cards", { base: "visa-cda", pin: "12" })).json.error).toContain("4 to 12 digits");
  expect((await call("/api/cards", { base: "magstripe-only" })).json.error).toContain("chip card");
  const made = await call("/api/cards", { base: "visa-sda", label: "Expired SDA", expiry: "200101" });
  expect(made.status).toBe(200);
  expect(made.json).toMatchObject({ custom: true, label: "Expired SDA", expiry: "200101", maskedPan: "476173******0028" });
  expect((await call("/api/cards")).json.map((c: { id: string }) => c.id)).toContain(made.json.id);
});

test("the acquirer checks the phone's authorisation data; without card data it answers unable-to-go-online", async () => {
  const bad = await call("/api/acquirer/authorise", undefined, encodeWire({ cardInterface: "contact", emvData: [{ tag: "9F26", value: "not bytes" }] }));
  expect(bad.status).toBe(400);
  const none = await call("/api/acquirer/authorise", undefined, encodeWire({ cardInterface: "contact", emvData: [] }));
  expect(none.json).toEqual({ result: "unable" });
});

test("the event stream sends the state at once, then each change and each log line", async () => {
  const ws = new WebSocket(server.url.replace("http", "ws") + "events");
  const events: any[] = [];
  ws.on("message", (m) => events.push(JSON.parse(String(m))));
  await new Promise((resolve) => ws.on("open", resolve));
  await call("/api/fault", { kind: "low-battery" });
  const until = Date.now() + 5000;
  while (!events.some((e) => e.type === "state" && e.state.battery.percent === 4) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await call("/api/fault", { kind: "charge" });
  ws.close();
  expect(events[0].type).toBe("state");
  expect(events.some((e) => e.type === "log" && /battery at 4/.test(e.entry.text))).toBe(true);
  expect(events.some((e) => e.type === "state" && e.state.battery.charging === false)).toBe(true);
});

test("a scenario file runs from the page with exactly the report `mpos sim run --scenario` prints", async () => {
  const name = "cancel-pin-entry";
  const file = await call(`/api/scenario?name=${name}`);
  expect(file.json.steps.length).toBeGreaterThan(0);
  const page = await call("/api/scenario/run", { scenario: file.json });
  expect(page.status).toBe(200);
  const cli = await mpos("sim", "run", "--scenario", join(__dirname, "..", "scenarios", `${name}.json`), "--json");
  expect(cli.status).toBe(0);
  expect(page.json).toEqual(cli.json);
  const expected = JSON.parse(readFileSync(join(__dirname, "..", "scenarios", `${name}.json`), "utf8")).expect;
  expect(page.json.outcome).toBe(expected.outcome);
});

test("a second server on a busy port fails with a helpful error", async () => {
  const port = Number(new URL(server.url).port);
  await expect(startSimServer({ port, engine: "node" })).rejects.toThrow(PortBusyError);
  const r = await mpos("sim", "serve", "--port", String(port), "--engine", "node", "--json");
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(`port ${port} is already in use`);
  expect(r.stderr).toContain("--port N");
  expect(JSON.parse(r.stdout).error).toContain("already in use");
});

test("a missing XS engine fails with a helpful error and frees the port", async () => {
  const saved = process.env[XSNAP_WORKER_ENV];
  process.env[XSNAP_WORKER_ENV] = join(__dirname, "no-such-xsnap-worker");
  try {
    await expect(startSimServer({ port: 0, engine: "xs" })).rejects.toThrow(EngineMissingError);
    const r = await mpos("sim", "serve", "--port", "0", "--engine", "xs", "--json");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${XSNAP_WORKER_ENV} (`);
    expect(r.stderr).toContain("--engine node");
    const run = await mpos("sim", "run", "--card", "visa-sda", "--interface", "contact", "--amount", "1.00", "--engine", "xs", "--json");
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).error).toContain(XSNAP_WORKER_ENV);
  } finally {
    if (saved === undefined) delete process.env[XSNAP_WORKER_ENV];
    else process.env[XSNAP_WORKER_ENV] = saved;
  }
});

test("mpos sim serve --help explains the options; bad options are usage errors", async () => {
  const help = await mpos("sim", "serve", "--help");
  expect(help.status).toBe(0);
  expect(help.stdout).toContain("--engine E");
  expect(help.stdout).toContain("--port N");
  expect((await mpos("sim", "serve", "--port", "70000")).status).toBe(2);
  expect((await mpos("sim", "serve", "--engine", "java")).stderr).toContain("--engine must be one of xs, node");
});
