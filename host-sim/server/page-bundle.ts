import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { MposError } from "../../kernel/errors";
import { projectRoot } from "../xs-engine/bundle";

// The page's script and style. The script (host-sim/web/app.ts: the reader view, the wallet, the
// demo phone app on the client/ SDK) is bundled once when the server starts, with esbuild's API in
// memory, for browsers of 2020 on (ES2020, one classic script, no bundler at request time). Where
// esbuild is not installed, the copy of `npm run build` in dist/web/ is served instead.

export interface PageAssets {
  script: string;
  style: string;
}

export const PAGE_ENTRY = "host-sim/web/app.ts";
export const PAGE_STYLE = "host-sim/web/page.css";

export class PageBuildError extends MposError {
  constructor(message: string) {
    super("page-build", message);
  }
}

export async function buildPageAssets(root: string = projectRoot()): Promise<PageAssets> {
  const style = readFileSync(join(root, PAGE_STYLE), "utf8");
  let esbuild: typeof import("esbuild") | undefined;
  try {
    esbuild = require("esbuild");
  } catch {
    esbuild = undefined;
  }
  if (esbuild && existsSync(join(root, PAGE_ENTRY))) {
    try {
      const result = await esbuild.build({
        absWorkingDir: root,
        entryPoints: [PAGE_ENTRY],
        bundle: true,
        write: false,
        format: "iife",
        platform: "browser",
        target: "es2020",
        conditions: ["import", "default"],
        legalComments: "none",
        charset: "utf8",
        logLevel: "silent",
      });
      return { script: result.outputFiles[0].text, style };
    } catch (e) {
      throw new PageBuildError(`the page script does not build: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
  }
  const built = join(root, "dist", "web", "app.js");
  if (existsSync(built)) return { script: readFileSync(built, "utf8"), style };
  throw new PageBuildError("no page script: run `npm install` (esbuild) or `npm run build`");
}
