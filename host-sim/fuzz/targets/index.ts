import type { FuzzTarget } from "../fuzz-target";
import { bleTarget } from "./ble";
import { cliTarget } from "./cli";
import { contactlessFramesTarget, contactlessResponsesTarget } from "./contactless";
import { contactlessConfigTarget, signedConfigurationTarget, terminalConfigTarget, transactionConfigTarget } from "./configuration";
import { emvResponsesTarget } from "./emv-responses";
import { t0Target, t1Target } from "./iso7816";
import { isoDepTarget } from "./iso14443";
import { dolTarget, tlvTarget } from "./tlv";

// Every fuzz target, one file a domain. Add a target by adding its import and its entry here.
export const fuzzTargets: FuzzTarget[] = [
  tlvTarget,
  dolTarget,
  cliTarget,
  t0Target,
  t1Target,
  isoDepTarget,
  emvResponsesTarget,
  contactlessResponsesTarget,
  contactlessFramesTarget,
  terminalConfigTarget,
  contactlessConfigTarget,
  transactionConfigTarget,
  signedConfigurationTarget,
  bleTarget,
];
