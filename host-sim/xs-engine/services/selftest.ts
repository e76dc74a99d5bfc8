import { softwareCrypto } from "../../../kernel/crypto";
import { powerOnSelfTests } from "../../../kernel/selftest";
import { runSelfTests } from "../../../kernel/selftest/selftest";

export const selftestServices: Record<string, (args: any) => unknown> = {
  /** The power-on self-tests, as the firmware runs them at start-up. */
  "selftest.run": () => runSelfTests(softwareCrypto, powerOnSelfTests),
};
