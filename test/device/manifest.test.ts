import { build, type Plugin } from "esbuild";
import { existsSync, readFileSync } from "fs";
import { join } from "path";

// Issue 10, item 1: manifest.json against the firmware's imports. Every module that the device
// bundles (firmware/device.ts, preloaded as "mpos-firmware", and firmware/main.ts) import from
// outside themselves is listed in firmware/device-modules.json, and manifest.json provides each
// one - an SDK manifest it includes, or a native module it maps - and nothing it maps is missing.

const ROOT = join(__dirname, "..", "..");
const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8"));
const manifest = json("manifest.json");
const modules = json("firmware/device-modules.json") as {
  moddable: Record<string, string>;
  native: Record<string, string>;
  firmware: Record<string, string>;
};

/** The bare imports a bundle of `entry` leaves to the platform (every package but @noble, which is bundled). */
async function externalImports(entry: string): Promise<string[]> {
  const found = new Set<string>();
  const collect: Plugin = {
    name: "collect-externals",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("@noble/")) return undefined;
        found.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
  await build({
    absWorkingDir: ROOT, entryPoints: [entry], write: false, bundle: true, format: "esm", target: "es2021",
    platform: "neutral", mainFields: ["module", "main"], plugins: [collect], logLevel: "silent",
  });
  return Array.from(found).sort();
}

describe("manifest.json maps every module the firmware reaches, and only those", () => {
  it("firmware/device.ts reaches exactly the SDK and native modules of firmware/device-modules.json", async () => {
    const listed = [...Object.keys(modules.moddable), ...Object.keys(modules.native)].sort();
    expect(await externalImports("firmware/device.ts")).toEqual(listed);
  });

  it("firmware/main.ts reaches only the preloaded firmware module", async () => {
    expect(await externalImports("firmware/main.ts")).toEqual(["mpos-firmware"]);
  });

  it("every SDK module comes from a manifest that manifest.json includes", () => {
    for (const [name, provider] of Object.entries(modules.moddable)) {
      if (name === "mc/config") continue; // mcconfig generates it from the manifest's config
      expect([name, manifest.include]).toEqual([name, expect.arrayContaining([provider])]);
    }
  });

  it("every native module is mapped by hal/esp32/native/manifest.json, which manifest.json includes, with its C and JS sources", () => {
    expect(manifest.include).toContain("./hal/esp32/native/manifest.json");
    const native = json("hal/esp32/native/manifest.json");
    expect(Object.keys(native.modules).sort()).toEqual(Object.keys(modules.native).sort());
    for (const [name, path] of Object.entries(modules.native)) {
      expect(native.modules[name]).toBe(`./${name}`);
      expect(native.preload).toContain(name);
      expect(existsSync(join(ROOT, `${path}.c`)) && existsSync(join(ROOT, `${path}.js`))).toBe(true);
      // Its declaration for the TypeScript side.
      expect(existsSync(join(ROOT, `${path}.d.ts`))).toBe(true);
    }
  });

  it("the firmware bundles are the manifest's modules: the kernel preloaded, main the entry point", () => {
    expect(manifest.modules).toEqual(modules.firmware);
    expect(manifest.preload).toEqual(["mpos-firmware"]);
    expect(manifest.creation.main).toBe("main");
  });

  it("the BLE service declarations and the font the display uses are in the build", () => {
    expect(manifest.ble["*"]).toEqual(["./firmware/bleservices/*"]);
    expect(existsSync(join(ROOT, "firmware", "bleservices", "mpos-reader.json"))).toBe(true);
    const deviceSource = readFileSync(join(ROOT, "firmware", "device.ts"), "utf8");
    const font = /new Resource\("([^"]+)\.bf4"\)/.exec(deviceSource);
    expect(font).not.toBeNull();
    expect(manifest.resources["*-mask"].some((r: string) => r.endsWith(`/${font![1]}`))).toBe(true);
  });
});

describe("the ESP32 platform section", () => {
  const esp32 = manifest.platforms.esp32;

  it("assigns every GPIO of the board once, none of the flash's or the console's", () => {
    const board = esp32.config.board;
    const pins: number[] = [];
    const walk = (v: unknown, key: string) => {
      if (typeof v === "number" && !["uart", "spi", "clockHz", "dividerRatio"].includes(key)) pins.push(v);
      else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    walk(board, "");
    walk({ display: [esp32.defines.spi.sck_pin, esp32.defines.spi.mosi_pin, esp32.defines.ili9341.cs_pin, esp32.defines.ili9341.dc_pin] }, "");
    expect(new Set(pins).size).toBe(pins.length);
    for (const p of pins) {
      // ESP32-S3: GPIO 26-32 are the flash's, 43 and 44 the console's (UART0); GPIO 22-25 do not exist.
      expect([p, p >= 22 && p <= 32]).toEqual([p, false]);
      expect([p, p === 43 || p === 44 || p > 48]).toEqual([p, false]);
    }
    // EMV Book 1: the card clock is 1 to 5 MHz.
    expect(board.contact.clockHz).toBeGreaterThanOrEqual(1e6);
    expect(board.contact.clockHz).toBeLessThanOrEqual(5e6);
  });

  it("the battery: the divider on an ADC1 input, the charger's STAT on an RTC GPIO that can end a deep sleep", () => {
    const { battery } = esp32.config.board;
    // ESP32-S3 datasheet: ADC1 channels are GPIO 1-10 (ADC2 is the radio's while Bluetooth runs); RTC GPIOs are 0-21 (EXT1 wake-up).
    expect(battery.sense).toBeGreaterThanOrEqual(1);
    expect(battery.sense).toBeLessThanOrEqual(10);
    expect(battery.charging).toBeGreaterThanOrEqual(0);
    expect(battery.charging).toBeLessThanOrEqual(21);
    expect(battery.dividerRatio).toBe(2);
  });

  it("the head is wired for tracks 1 and 2 only: payment cards carry their data there (ISO/IEC 7813)", () => {
    expect(Object.keys(esp32.config.board.magstripe).sort()).toEqual(["track1", "track2"]);
  });

  it("GPIO 48 is the tamper REARM, so the esp32s3 target's RGB LED rainbow on it is off", () => {
    expect(esp32.config.board.tamper.rearm).toBe(48);
    expect(esp32.config.led).toEqual({ rainbow: false });
  });

  it("the light-sleep wake sources (keypad columns and the card-detect line) fit lightsleep.c's 8", () => {
    const { keypad, contact } = esp32.config.board;
    expect(keypad.columns.length + 1).toBeLessThanOrEqual(8);
    expect(keypad.columns).not.toContain(contact.off);
  });

  it("the partition table has two equal OTA slots on 64 KB boundaries, otadata, NVS, within 16 MB, without overlap", () => {
    expect(esp32.build.PARTITIONS_FILE_FOR_TARGET).toBe("./hal/esp32/sdkconfig/partitions.csv");
    const rows = readFileSync(join(ROOT, "hal/esp32/sdkconfig/partitions.csv"), "utf8")
      .split("\n").filter((l) => l.trim() && !l.startsWith("#"))
      .map((l) => l.split(",").map((f) => f.trim()))
      .map(([name, type, subtype, offset, size]) => ({ name, type, subtype, offset: Number(offset), size: Number(size) }));
    const byName = new Map(rows.map((r) => [r.name, r]));
    const ota0 = byName.get("ota_0")!, ota1 = byName.get("ota_1")!;
    expect(ota0.size).toBe(ota1.size);
    for (const app of [ota0, ota1]) expect(app.offset % 0x10000).toBe(0);
    expect(byName.get("otadata")).toMatchObject({ type: "data", subtype: "ota", size: 0x2000 });
    expect(byName.get("nvs")).toMatchObject({ type: "data", subtype: "nvs" });
    const sorted = rows.slice().sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].offset).toBeGreaterThanOrEqual(sorted[i - 1].offset + sorted[i - 1].size);
    const last = sorted[sorted.length - 1];
    expect(last.offset + last.size).toBeLessThanOrEqual(16 * 1024 * 1024);
    // The rollback the OTA driver relies on is on.
    expect(readFileSync(join(ROOT, "hal/esp32/sdkconfig/sdkconfig.defaults"), "utf8")).toMatch(/^CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE=y$/m);
  });

  it("the firmware signing key is 32 bytes of hex (Ed25519)", () => {
    expect(esp32.config.firmwareSigningKey).toMatch(/^[0-9A-F]{64}$/);
  });
});

describe("manifest.json: the firmware's identity", () => {
  it("names the same firmware version as package.json, a hardware revision and a build date", () => {
    const { readFileSync } = require("fs");
    const { join } = require("path");
    const root = join(__dirname, "..", "..");
    const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const config = manifest.platforms.esp32.config;
    expect(config.firmwareVersion).toBe(pkg.version);
    expect(Number.isInteger(config.hardwareRevision)).toBe(true);
    expect(config.buildEpochSeconds).toBeGreaterThan(1700000000);
  });
});
