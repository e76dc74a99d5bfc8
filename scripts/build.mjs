// Builds what `npm start`, `npm run bench` and the `mpos` command need, into dist/:
//   dist/mpos.cjs        the CLI and the host simulator, one Node script (ESM-only @noble/* inlined)
//   dist/xs/services.js  the kernel services as one classic script for the XS engine
//   dist/xs/firmware.js  the reader firmware for the XS engine, its hardware served by the simulator
//   dist/web/app.js      the simulator page's script
//   dist/device/         the firmware for the ESP32: mpos-firmware.js (preloaded) and main.js
// esbuild takes well under a second; the XS bundle targets es2021 so class fields are lowered
// (see host-sim/xs-engine/bundle.ts for why).
import { build } from "esbuild";
import { mkdirSync, readFileSync } from "fs";
import { dirname, join } from "path";
import { fileURLToPath } from "url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
mkdirSync(join(root, "dist", "xs"), { recursive: true });

const xs = JSON.parse(readFileSync(join(root, "scripts", "xs-bundle-options.json"), "utf8"));
// The Moddable built-ins and our native modules stay imports, for mcconfig to resolve (manifest.json).
const deviceModules = JSON.parse(readFileSync(join(root, "firmware", "device-modules.json"), "utf8"));
const device = { absWorkingDir: root, bundle: true, format: "esm", target: "es2021", platform: "neutral",
  mainFields: ["module", "main"], legalComments: "none", logLevel: "warning" };

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
  // The firmware for the device: the kernel and the application as one preloadable module, and
  // the small entry point that starts it.
  build({ ...device, entryPoints: ["firmware/device.ts"], outfile: "dist/device/mpos-firmware.js",
    external: [...Object.keys(deviceModules.moddable), ...Object.keys(deviceModules.native)] }),
  build({ ...device, entryPoints: ["firmware/main.ts"], outfile: "dist/device/main.js", external: ["mpos-firmware"] }),
  build({ ...xs, absWorkingDir: root, entryPoints: ["firmware/main-xs.ts"], outfile: "dist/xs/firmware.js", logLevel: "warning" }),
  // The simulator page's script (the server builds it itself where esbuild is installed).
  build({ absWorkingDir: root, entryPoints: ["host-sim/web/app.ts"], outfile: "dist/web/app.js", bundle: true,
    format: "iife", platform: "browser", target: "es2020", conditions: ["import", "default"], legalComments: "none",
    logLevel: "warning" }),
  build({
    ...xs,
    absWorkingDir: root,
    entryPoints: ["host-sim/xs-engine/service-entry.ts"],
    outfile: "dist/xs/services.js",
    logLevel: "warning",
  }),
]);
