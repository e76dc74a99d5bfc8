import type { CryptoProvider } from "../crypto/provider";

// Power-on self-tests (PCI PTS POI: known-answer tests of every cryptographic function at start-up
// and at least every 24 hours). Each domain contributes its known-answer tests in a kat-*.ts file;
// the firmware refuses to transact while any fails.

export interface KnownAnswerTest {
  /** Stable name, e.g. "aes-128 ecb encrypt (FIPS 197 C.1)". */
  name: string;
  /** True when the computed answer equals the published one. Must not throw for a good build. */
  run(crypto: CryptoProvider): boolean;
}

export interface SelfTestReport {
  passed: number;
  failed: number;
  tests: { name: string; ok: boolean }[];
}

/**
 * What the firmware keeps of a report once it ran: the counts and the names of the tests that
 * failed (a report of every test would be held in the reader's RAM for its whole uptime).
 */
export interface SelfTestSummary {
  passed: number;
  failed: number;
  failedTests: string[];
}

export function selfTestSummary(report: SelfTestReport): SelfTestSummary {
  return { passed: report.passed, failed: report.failed, failedTests: report.tests.filter((t) => !t.ok).map((t) => t.name) };
}

/** Runs every test; an exception counts as a failure and never escapes. */
export function runSelfTests(crypto: CryptoProvider, kats: readonly KnownAnswerTest[]): SelfTestReport {
  const tests: { name: string; ok: boolean }[] = [];
  for (const kat of kats) {
    let ok = false;
    try {
      ok = kat.run(crypto) === true;
    } catch {
      ok = false;
    }
    tests.push({ name: kat.name, ok });
  }
  const passed = tests.filter((t) => t.ok).length;
  return { passed, failed: tests.length - passed, tests };
}
