// The Moddable entry point of the reader (manifest.json maps dist/device/main.js, the bundle of this
// file, as `main`). Everything else is in the preloaded module "mpos-firmware" (firmware/device.ts).
import { start } from "mpos-firmware";
import type { start as deviceStart } from "./device";

/** The entry the preloaded module gives: typed against firmware/device.ts, so mpos-firmware.d.ts cannot drift from it. */
export const entry: typeof deviceStart = start;

entry().catch((e: unknown) => trace(`mpos: start-up failed: ${e instanceof Error ? e.message : "error"}\n`));
