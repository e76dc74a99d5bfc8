import { fromHex, toHex, xor } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { dukptAesInitialKey } from "../../kernel/security/dukpt-aes";
import { cardProfiles, magneticStripe, TEST_CARD_PIN } from "../cards";
import fleetKeys from "../fleet/fleet-keys.json";
import { SIM_AES_BDK_HEX, SIM_TDES_BDK_HEX } from "../issuer/keys";
import { walletCardProfiles } from "../picc/profiles";
import { secret, type Secret, type SecretSet } from "./scan";

// Everything the simulator's readers must never let out in clear (ARCHITECTURE.md, "Security rules
// that every layer keeps"): the test cards' PANs and track data, the test PIN as PIN blocks in clear,
// and the keys: the DUKPT BDKs, the reader's key block protection key and initial keys, the fleet's
// and the reader's secret keys. All TEST values of the simulator.

/** The simulated reader's KBPK and Initial Key IDs (host-sim/sim/reader-keys.ts, host-sim/scenario/sim-reader.ts). */
const SIM_KBPK_HEX = "89E88CF7931444F334BD7547FC3F380C";
const INITIAL_KEY_IDS = ["123456789012A001", "123456789012D001"];

/** ISO 9564-1 plaintext PIN fields of the test PIN: format 0 (XOR the PAN field), 1, 2, 3 and 4's PIN field. */
function pinBlocks(pin: string, pan: string): string[] {
  const field = (c: string, fill: string) => (c + pin.length.toString(16) + pin + fill.repeat(14 - pin.length)).toUpperCase();
  const panField = fromHex(`0000${pan.slice(-13, -1)}`);
  return [
    toHex(xor(fromHex(field("0", "F")), panField)),
    field("2", "F"),
    field("4", "A"),
  ];
}

export function readerSecrets(): SecretSet {
  const secrets: Secret[] = [];
  const profiles = [...cardProfiles, ...walletCardProfiles()];
  const pans = new Set<string>();
  for (const p of profiles) {
    if (pans.has(p.pan)) continue;
    pans.add(p.pan);
    secrets.push(secret(`PAN of ${p.id}`, p.pan, { asciiHex: true }));
    const stripe = magneticStripe(p);
    // Track 2 as it is read (ASCII) and as tag 57 carries it (BCD, 'D' for '=').
    const track2 = stripe.track2.slice(1, -1);
    secrets.push({ label: `track 2 of ${p.id}`, needles: [track2.toUpperCase(), track2.replace("=", "D").toUpperCase()] });
    secrets.push(secret(`track 1 of ${p.id}`, stripe.track1.slice(2, 2 + p.pan.length + 1 + p.cardholderName.length)));
    for (const b of pinBlocks(TEST_CARD_PIN, p.pan)) secrets.push({ label: `PIN block in clear (${p.id})`, needles: [b] });
  }
  secrets.push(secret("AES DUKPT BDK", SIM_AES_BDK_HEX), secret("TDES DUKPT BDK", SIM_TDES_BDK_HEX), secret("key block protection key", SIM_KBPK_HEX));
  for (const id of INITIAL_KEY_IDS) {
    const ik = dukptAesInitialKey(softwareCrypto, fromHex(SIM_AES_BDK_HEX), fromHex(id));
    secrets.push(secret(`initial key ${id}`, toHex(ik)));
  }
  secrets.push(secret("fleet CA secret key", fleetKeys.fleetCa.secretKey), secret("fleet configuration secret key", fleetKeys.fleetConfiguration.secretKey),
    secret("reader identity secret key", fleetKeys.reader.secretKey));
  return { secrets };
}
