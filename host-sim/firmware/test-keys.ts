import { readFileSync } from "fs";
import { join } from "path";
import { projectRoot } from "../xs-engine/bundle";
import { parseKeyFile } from "./key-files";

// The TEST firmware signing key pair in host-sim/firmware/test-keys/, for the simulator and the
// tests. Made with `mpos firmware keygen`; a reader built for the field never trusts it, and the
// production key is never in the repository.

export const TEST_KEY_FILE = join("host-sim", "firmware", "test-keys", "firmware-test.key");

/** The test key pair (the private half signs the simulator's factory image and test images). */
export function loadTestKeyPair(): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const key = parseKeyFile(readFileSync(join(projectRoot(), TEST_KEY_FILE), "utf8"));
  if (key.kind !== "private") throw new Error(`${TEST_KEY_FILE} is not a private key`);
  return { secretKey: key.secretKey, publicKey: key.publicKey };
}
