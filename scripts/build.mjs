// Builds what `npm start`, `npm run bench` and the `mpos` command need, into dist/:
//   dist/mpos.cjs        the CLI and the host simulator, one Node script (ESM-only @noble/* inlined)
//   dist/xs/services.js  the kernel services as one classic script for the XS engine
// esbuild takes well under a second; the XS bundle targets es2021 so class fields are lowered
// (see host-sim/xs-engine/bundle.ts for why).
import { build } from "esbuild";
import { mkdirSync, readFileSync } from "fs";
import { dirname, join } from "path";
import { fileURLToPath } from "url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
mkdirSync(join(root, "dist", "xs"), { recursive: true });

const xs = JSON.parse(readFileSync(join(root, "scripts", "xs-bundle-options.json"), "utf8"));

await Promise.all([
  build({
    absWorkingDir: root,
    entryPoints: ["host-sim/cli/bin.ts"],
    outfile: "dist/mpos.cjs",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: true,
    // Resolved at run time from node_modules, never inlined: the engine driver looks for its binary
    // beside @agoric/xsnap, esbuild bundles XS scripts on demand, playwright drives the browser.
    external: ["esbuild", "@agoric/xsnap", "playwright-core", "ber-tlv", "node-tlv", "dukpt"],
    logLevel: "warning",
  }),
  // The firmware for the device: an ES2021 module for mcconfig (manifest.json), with the Moddable
  // built-ins left as imports for the SDK to resolve.
  build({
    absWorkingDir: root,
    entryPoints: ["firmware/main.ts"],
    outfile: "dist/device/main.js",
    bundle: true,
    format: "esm",
    target: "es2021",
    platform: "neutral",
    mainFields: ["module", "main"],
    external: ["timer", "bleserver", "btutils", "gap", "preference", "flash", "embedded:*", "pins/*", "crypt", "ota", "sleep"],
    legalComments: "none",
    logLevel: "warning",
  }),
  build({
    ...xs,
    absWorkingDir: root,
    entryPoints: ["host-sim/xs-engine/service-entry.ts"],
    outfile: "dist/xs/services.js",
    logLevel: "warning",
  }),
]);
