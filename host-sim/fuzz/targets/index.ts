import type { FuzzTarget } from "../fuzz-target";
import { cliTarget } from "./cli";
import { dolTarget, tlvTarget } from "./tlv";

// Every fuzz target, one file a domain. Add a target by adding its import and its entry here.
export const fuzzTargets: FuzzTarget[] = [
  tlvTarget,
  dolTarget,
  cliTarget,
];
