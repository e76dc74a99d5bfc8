// Makes the simulated fleet's TEST keys (host-sim/fleet/fleet-keys.json): the fleet CA that
// certifies readers' identity keys (the phone SDK pins its public key), the fleet configuration key
// that signs reader configurations (the reader trusts its public key), and the simulated reader's
// identity key. TEST KEYS ONLY: they are public in this repository and protect nothing.
//
//   node host-sim/fleet/make-fleet-keys.mjs > host-sim/fleet/fleet-keys.json
//
// Keys are P-256 (FIPS 186-5), secret keys as 32-byte hex, public keys SEC 1 uncompressed hex. The
// reader's certificate is not stored: host-sim/fleet/fleet.ts signs it at load time (ECDSA with
// RFC 6979 deterministic nonces, so it is the same every time).
import { p256 } from "@noble/curves/nist.js";
import { randomBytes } from "crypto";

const hex = (b) => Buffer.from(b).toString("hex").toUpperCase();

function keyPair() {
  const secretKey = p256.utils.randomSecretKey(randomBytes(48));
  return { secretKey: hex(secretKey), publicKey: hex(p256.getPublicKey(secretKey, false)) };
}

const now = Math.floor(Date.UTC(2025, 0, 1) / 1000);
const keys = {
  "//": "TEST keys of the simulated fleet (host-sim/fleet/make-fleet-keys.mjs). Public, for the simulator and tests only.",
  fleetCa: keyPair(),
  fleetConfiguration: keyPair(),
  reader: {
    model: "MPOS-R1",
    serial: "MPOSR1SIM0001",
    notBefore: now,
    notAfter: now + 20 * 365 * 24 * 3600,
    ...keyPair(),
  },
};
process.stdout.write(JSON.stringify(keys, null, 2) + "\n");
