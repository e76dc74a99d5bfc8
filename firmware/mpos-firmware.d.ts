// The preloaded module "mpos-firmware": the bundle of firmware/device.ts (scripts/build.mjs). Its
// `start` is the one firmware/device.ts exports; test/device/manifest.test.ts checks they agree.
declare module "mpos-firmware" {
  /** Powers the reader up; resolves once it is idle and waiting for payments. */
  export function start(): Promise<void>;
}
