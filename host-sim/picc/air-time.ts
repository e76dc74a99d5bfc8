import type { BitRateKbps, RfTechnology } from "../../hal/nfc-controller";
import { cyclesToUs, etuUs } from "../../kernel/iso14443/timing";

// How long frames take on the air, for the tap-time model (ISO/IEC 14443-2:2020 and -3:2018):
// - Type A: a frame is a start bit, 9 bits per byte (8 data + odd parity), an end of
//   communication; a short frame is S + 7 bits + E (ISO/IEC 14443-3:2018, 6.2.3). At 106 kbit/s one
//   bit lasts 128/fc = 9.44 us.
// - Type B: SOF (10 etu low + 2 etu high), 10 etu per character (start, 8 data, stop) with no extra
//   guard time, EOF (10 etu) (ISO/IEC 14443-3:2018, 7.1); a PICC answers after TR0 + TR1 (7.1.6:
//   TR0 at least 64/fs, TR1 80/fs, fs = fc/16).

/** Air time of a frame of `bits` bits (CRC included), in us. */
export function frameAirUs(technology: RfTechnology, kbps: BitRateKbps, bits: number): number {
  const etu = etuUs(kbps);
  if (technology === "A") {
    const whole = Math.floor(bits / 8);
    const rest = bits % 8;
    // Parity follows every whole byte; a partial last byte carries none.
    return (1 + whole * 9 + rest + 1) * etu;
  }
  const chars = Math.ceil(bits / 8);
  return (12 + chars * 10 + 10) * etu;
}

/**
 * The least delay from the end of the PCD's frame to the start of the PICC's answer: Type A
 * (n x 128 + 84)/fc with n = 9 (ISO/IEC 14443-3:2018, 6.2.1.1); Type B TR0 + TR1 (7.1.6).
 */
export function piccTurnaroundUs(technology: RfTechnology): number {
  return technology === "A" ? cyclesToUs(9 * 128 + 84) : cyclesToUs((64 + 80) * 16);
}
