// Test helpers for online transactions against the issuer host: the reader's side of P2PE and the
// online PIN block, done with the security module's functions and the simulator's test BDKs.
import { concat, fromHex } from "../../../kernel/bytes";
import { softwareCrypto as c } from "../../../kernel/crypto";
import type { AuthorizationRequest } from "../../../kernel/emv/online";
import { dukptAesHostKey, dukptTdesHostKey, encodePinBlock, envelopePlaintext, sealEnvelope, type SensitiveItem } from "../../../kernel/security";
import { encodeTlv } from "../../../kernel/tlv";
import { simAesBdk, simTdesBdk } from "../../../host-sim/issuer";

export const AES_KSN = fromHex("123456789012345600000001");
export const TDES_KSN = fromHex("FFFF9876543210E00001");
const fixedRandom = { fill: (b: Uint8Array) => b.fill(0x3c) };

export function envelope(items: SensitiveItem[], scheme: "aes-dukpt" | "tdes-dukpt" = "aes-dukpt") {
  if (scheme === "aes-dukpt") {
    const data = dukptAesHostKey(c, simAesBdk(), AES_KSN, "data-encrypt", "aes128");
    const mac = dukptAesHostKey(c, simAesBdk(), AES_KSN, "mac-gen", "aes128");
    return sealEnvelope(c, scheme, AES_KSN, data, mac, envelopePlaintext(items));
  }
  const data = dukptTdesHostKey(c, simTdesBdk(), TDES_KSN, "data-request");
  const mac = dukptTdesHostKey(c, simTdesBdk(), TDES_KSN, "mac-request");
  return sealEnvelope(c, scheme, TDES_KSN, data, mac, envelopePlaintext(items));
}

/** An online PIN block as the reader makes it: format 4 under the AES DUKPT PIN key, or format 0 under TDES. */
export function onlinePin(pin: string, pan: string, format: 0 | 4 = 4) {
  if (format === 4) {
    const key = dukptAesHostKey(c, simAesBdk(), AES_KSN, "pin", "aes128");
    return { block: encodePinBlock(4, pin, { pan, random: fixedRandom, key }, c), ksn: AES_KSN, format: 4 as const };
  }
  const key = dukptTdesHostKey(c, simTdesBdk(), TDES_KSN, "pin");
  return { block: c.tdesEcbEncrypt(key, encodePinBlock(0, pin, { pan }, c)), ksn: TDES_KSN, format: 0 as const };
}

export function iccData(values: Record<string, Uint8Array | undefined>): Uint8Array {
  return concat(...Object.entries(values).filter(([, v]) => v !== undefined).map(([t, v]) => encodeTlv(t, v as Uint8Array)));
}

export function request(iccDataBytes: Uint8Array, items: SensitiveItem[], pin?: AuthorizationRequest["pin"], scheme?: "aes-dukpt" | "tdes-dukpt"): AuthorizationRequest {
  const r: AuthorizationRequest = { iccData: iccDataBytes, maskedPan: "", envelope: envelope(items, scheme) };
  if (pin) r.pin = pin;
  return r;
}
