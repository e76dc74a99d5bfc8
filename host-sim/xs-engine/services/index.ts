// Every function the XS engine exposes to the host, by name. Each domain keeps its own table in a
// file beside this one; a service takes JSON-able arguments (bytes as uppercase hex) and returns a
// JSON-able result, or a Promise of one. The same table runs on Node, so a test can compare both.

import { benchServices } from "./bench";
import { engineServices } from "./engine";
import { selftestServices } from "./selftest";
import { tlvServices } from "./tlv";
import { cryptoServices } from "./crypto";
import { iso7816Services } from "./iso7816";
import { securityServices } from "./security";
import { firmwareUpdateServices } from "./firmware-update";
import { magstripeServices } from "./magstripe";
import { emvCryptoServices } from "./emv-crypto";
import { emvServices } from "./emv";
import { contactlessServices } from "./contactless";
import { protocolServices } from "./protocol";
import { transactionServices } from "./transaction";
import { stressServices } from "./stress";

export type Service = (args: any) => unknown;

export const services: Record<string, Service> = {
  ...engineServices,
  ...selftestServices,
  ...benchServices,
  ...tlvServices,
  ...cryptoServices,
  ...iso7816Services,
  ...securityServices,
  ...firmwareUpdateServices,
  ...magstripeServices,
  ...emvCryptoServices,
  ...emvServices,
  ...contactlessServices,
  ...protocolServices,
  ...transactionServices,
  ...stressServices,
};
