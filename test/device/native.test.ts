import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

// Issue 10: the native modules of the ESP32 build (hal/esp32/native/*.c) compiled with the host's C
// compiler against stubs of the ESP-IDF and xsmc calls they make (host-test/stubs), and run against
// fakes of the hardware: the UART with a card on its line, the RMT channel, the RNG register, the OTA
// data, ESP-IDF's power management and sleep modes.

const NATIVE = join(__dirname, "..", "..", "hal", "esp32", "native");

function compiler(): string | null {
  for (const cc of [process.env.CC, "cc", "gcc", "clang"]) {
    if (cc && spawnSync(cc, ["--version"], { stdio: "ignore" }).status === 0) return cc;
  }
  return null;
}

const cc = compiler();
if (!cc) process.stderr.write("test/device/native.test.ts: no C compiler (cc, gcc, clang) on this machine: the native modules are not compiled\n");

const SUITES: [string, string[]][] = [
  ["iso7816uart: parity, guard time, turnaround, T=0 repetition, inverse convention", ["iso7816uart.c", "host-test/fake_uart.c", "host-test/test_iso7816uart.c"]],
  ["fluxcapture and hwrng: RMT flux capture to JavaScript, the hardware RNG", ["fluxcapture.c", "hwrng.c", "host-test/fake_rmt.c", "host-test/fake_random.c", "host-test/test_fluxcapture.c"]],
  ["otaslots: the app rollback states of the two OTA slots", ["otaslots.c", "host-test/fake_ota.c", "host-test/test_otaslots.c"]],
  ["lightsleep: esp_pm_configure, the awake lock (CPU at maximum), wake pins armed around each light sleep, deep sleep until the charger",
    ["lightsleep.c", "host-test/fake_sleep.c", "host-test/test_lightsleep.c"]],
];

(cc ? describe : describe.skip)("native modules on the host C compiler", () => {
  const dir = mkdtempSync(join(tmpdir(), "mpos-native-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(SUITES)("%s", (name, sources) => {
    const out = join(dir, name.split(":")[0].replace(/[^a-z0-9]+/g, "-"));
    // -Werror: the modules compile without a warning against the stubs' ESP-IDF and xsmc signatures.
    execFileSync(cc as string, ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I", "host-test/stubs", "-I", "host-test",
      ...sources, "host-test/fake_xs.c", "-o", out], { cwd: NATIVE, stdio: "pipe" });
    const run = spawnSync(out, [], { encoding: "utf8" });
    expect(run.stdout).toMatch(/\d+ checks, 0 failed/);
    expect(run.status).toBe(0);
  });
});
