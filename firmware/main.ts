// The Moddable entry point of the reader (manifest.json names the bundle of this file `main`).
// PCI PTS POI asks for self-tests of every cryptographic function at start-up and at least every
// 24 hours: the reader runs the kernel's known-answer tests now and on a daily timer, and stays out
// of service while any fails.
import Timer from "timer";
import { softwareCrypto } from "../kernel/crypto";
import { powerOnSelfTests } from "../kernel/selftest";
import { runSelfTests } from "../kernel/selftest/selftest";

const SELF_TEST_INTERVAL_MS = 24 * 60 * 60 * 1000;

let inService = false;

function selfTest(): void {
  const report = runSelfTests(softwareCrypto, powerOnSelfTests);
  inService = report.failed === 0;
  trace(`mpos: self-tests ${report.passed} passed, ${report.failed} failed\n`);
  for (const t of report.tests) if (!t.ok) trace(`mpos: self-test failed: ${t.name}\n`);
  if (!inService) trace("mpos: out of service until the self-tests pass\n");
}

selfTest();
Timer.repeat(selfTest, SELF_TEST_INTERVAL_MS);

export function isInService(): boolean {
  return inService;
}
