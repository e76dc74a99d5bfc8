import { spawn } from "child_process";
import { join } from "path";

// `mpos sim serve` as a person runs it (issue 11, item 3): a separate process that prints the
// page's address, serves it until Ctrl-C (SIGINT) or SIGTERM, then stops cleanly with exit status 0.
// It runs bin/mpos.js, the built CLI (dist/mpos.cjs: `npm test` builds it first, bin/mpos.js when missing).

const ROOT = join(__dirname, "..", "..");

async function serveUntil(signal: "SIGINT" | "SIGTERM"): Promise<{ code: number | null; stdout: string; stderr: string; status: any }> {
  const child = spawn(process.execPath, [join(ROOT, "bin", "mpos.js"), "sim", "serve", "--port", "0", "--engine", "node"], { cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => { stdout += String(d); });
  child.stderr.on("data", (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const end = Date.now() + 60000;
    while (!/page\s+http:\/\/127\.0\.0\.1:[0-9]+\//.test(stdout)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`no address printed: ${stdout} ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /page\s+(http:\/\/127\.0\.0\.1:[0-9]+\/)/.exec(stdout)![1];
    const status = await (await fetch(`${url}api/status`)).json();
    child.kill(signal);
    return { code: await exited, stdout, stderr, status };
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

test("prints the page's address and the GATT bridge's, with a progress line per start-up step; stops on SIGINT", async () => {
  const r = await serveUntil("SIGINT");
  expect(r.stdout).toMatch(/GATT bridge\s+ws:\/\/127\.0\.0\.1:[0-9]+/);
  expect(r.stderr).toContain("[1/2] building the page script");
  expect(r.stderr).toContain("[2/2] booting the reader firmware on Node");
  expect(r.status.state.display[0]).toBe("WELCOME");
  expect(r.stderr).toContain("SIGINT: stopping the simulator");
  expect(r.code).toBe(0);
}, 90000);

test("stops cleanly on SIGTERM too", async () => {
  const r = await serveUntil("SIGTERM");
  expect(r.stderr).toContain("SIGTERM: stopping the simulator");
  expect(r.code).toBe(0);
}, 90000);
