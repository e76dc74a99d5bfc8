import { existsSync, readFileSync } from "fs";
import { join } from "path";
import xsBundleOptions from "../../scripts/xs-bundle-options.json";

// Bundles an entry point into one classic script for the XS engine. esbuild's es2021 target lowers
// class fields: the XS in xsnap throws "get ?: not initialized yet" when a static initializer builds
// an instance of a class with instance fields (as @noble/curves does).

export const XS_BUNDLE_OPTIONS = xsBundleOptions as {
  bundle: boolean; format: "iife"; target: string; platform: "neutral"; mainFields: string[];
  conditions: string[]; legalComments: "none"; charset: "utf8";
};

/** The repository root (where package.json is), from a source file or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "kernel"))) return dir;
    dir = join(dir, "..");
  }
  return process.cwd();
}

/**
 * The script for `entry` (a path under the project root, e.g. "host-sim/xs-engine/service-entry.ts"):
 * built now with esbuild where it is installed (a development checkout), else the copy that
 * `npm run build` wrote to dist/xs/<name>.js.
 */
export function xsBundle(entry: string, name: string): string {
  const root = projectRoot();
  let esbuild: typeof import("esbuild") | undefined;
  try {
    esbuild = require("esbuild");
  } catch {
    esbuild = undefined;
  }
  if (esbuild) {
    const result = esbuild.buildSync({ ...XS_BUNDLE_OPTIONS, entryPoints: [join(root, entry)], write: false, absWorkingDir: root });
    return result.outputFiles[0].text;
  }
  const built = join(root, "dist", "xs", `${name}.js`);
  if (existsSync(built)) return readFileSync(built, "utf8");
  throw new Error(`no XS bundle for ${name}: run \`npm run build\``);
}
