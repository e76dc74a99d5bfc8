import type { Command } from "../command";
import { bench } from "./bench";
import { fuzz } from "./fuzz";
import { soak } from "./soak";
import { powerLoss } from "./power-loss";
import { selftest } from "./selftest";
import { simServe } from "./sim-serve";
import { decodeTlvCommand } from "./decode-tlv";
import { dolBuildCommand } from "./dol-build";
import { decodeAtrCommand } from "./decode-atr";
import { firmwareKeygen, firmwareSign, firmwareVerify } from "./firmware";
import { phoneUpdate } from "./phone-update";
import { decodeTrackCommand } from "./decode-track";
import { decodeFluxCommand } from "./decode-flux";
import { dukptAesCommand, dukptTdesCommand } from "./dukpt";
import { pinblockEncodeCommand, pinblockDecodeCommand } from "./pinblock";
import { tr31UnwrapCommand, tr31WrapCommand } from "./tr31";
import { emvIccMk, emvSessionKey, emvAc, emvArpc } from "./emv";
import { odaIssuerCert } from "./oda";
import { simCards } from "./sim-cards";
import { simRunCommand } from "./sim-run";
import { phonePayCommand } from "./phone-pay";
import { factoryProvision } from "./factory";

// Every `mpos` command, one module each. Add a command by adding its import and its entry here.

export const commands: Command[] = [
  selftest,
  bench,
  fuzz,
  soak,
  powerLoss,
  simServe,
  decodeTlvCommand,
  dolBuildCommand,
  decodeAtrCommand,
  firmwareKeygen,
  firmwareSign,
  firmwareVerify,
  phoneUpdate,
  decodeTrackCommand,
  decodeFluxCommand,
  dukptAesCommand,
  dukptTdesCommand,
  pinblockEncodeCommand,
  pinblockDecodeCommand,
  tr31UnwrapCommand,
  tr31WrapCommand,
  emvIccMk,
  emvSessionKey,
  emvAc,
  emvArpc,
  odaIssuerCert,
  simCards,
  simRunCommand,
  phonePayCommand,
  factoryProvision,
];
