// The base derivation keys the simulator's acquirer/issuer HSM holds: the published TEST BDKs of
// the DUKPT standards (ANSI X9.24-3-2017 for AES DUKPT, ANSI X9.24-1-2009 for TDES DUKPT), so that
// anyone can check a simulated transaction with the standards' own tools. TEST KEYS: never for a
// device. A simulated reader's initial key is derived from these (host-sim/hsm: initialKeyBlock).

import { fromHex } from "../../kernel/bytes";

/** ANSI X9.24-3-2017 test BDK (AES-128). */
export const SIM_AES_BDK_HEX = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
/** ANSI X9.24-1-2009 test BDK (double-length TDES). */
export const SIM_TDES_BDK_HEX = "0123456789ABCDEFFEDCBA9876543210";

export function simAesBdk(): Uint8Array {
  return fromHex(SIM_AES_BDK_HEX);
}

export function simTdesBdk(): Uint8Array {
  return fromHex(SIM_TDES_BDK_HEX);
}
