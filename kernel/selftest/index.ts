import { cryptoKats } from "./kat-crypto";
import type { KnownAnswerTest } from "./selftest";
import { tlvKats } from "./kat-tlv";
import { securityKats } from "./kat-security";
import { firmwareKats } from "./kat-firmware";
import { emvKats } from "./kat-emv";
import { protocolKats } from "./kat-protocol";
import { iso14443Kats } from "./kat-iso14443";

export type { KnownAnswerTest, SelfTestReport, SelfTestSummary } from "./selftest";
export { runSelfTests, selfTestSummary } from "./selftest";

/** Every known-answer test the firmware runs at power-on and every 24 hours. */
export const powerOnSelfTests: readonly KnownAnswerTest[] = [
  ...cryptoKats,
  ...tlvKats,
  ...securityKats,
  ...firmwareKats,
  ...emvKats,
  ...protocolKats,
  ...iso14443Kats,
];
