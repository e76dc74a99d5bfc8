import { runCli } from "../../host-sim/cli/main";

/** Runs an `mpos` command line in-process and captures what it prints. */
export async function mpos(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string; json: any }> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    cwd: process.cwd(),
  });
  let json: any = undefined;
  if (argv.includes("--json")) json = JSON.parse(stdout);
  return { status, stdout, stderr, json };
}
