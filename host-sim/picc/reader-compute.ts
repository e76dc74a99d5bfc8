import type { CryptoProvider } from "../../kernel/crypto/provider";
import type { ContactlessTransport } from "../../kernel/iso14443/pcd";
import type { ModeledClock } from "./modeled-clock";

// The reader's own computing time in the tap-time model. The kernel runs on the laptop at laptop
// speed; the model charges the modeled clock what the same work would take on the device, an ESP32
// running the XS engine. The figures are this model's assumptions (the bench reports the engine's
// own meter beside them, per tap):
// - each APDU exchanged costs the kernel 400 us (BER-TLV decoding, DOL building, data store);
// - an RSA public operation costs 2 ms per modular multiplication of a 1024-bit modulus, growing
//   with the square of the length (XS BigInt); e = 3 needs 2 multiplications, e = 65537 needs 17;
// - SHA-1 and SHA-256 cost 20 us per 64-byte block; DES/TDES 15 us per 8-byte block; AES 10 us per
//   16-byte block (software, with the ESP32's accelerators unused).

export interface ComputeCounters {
  /** Modeled reader computing time charged so far, us. */
  us: number;
  apdus: number;
  rsa: number;
}

const APDU_US = 400;
const MULT_1024_US = 2000;

function multiplications(exponent: Uint8Array): number {
  let bits = 0;
  let ones = 0;
  for (const b of exponent) {
    for (let i = 7; i >= 0; i--) {
      const bit = (b >> i) & 1;
      if (bits > 0 || bit) bits++;
      ones += bit;
    }
  }
  return Math.max(1, bits - 1 + ones - 1);
}

export function rsaPublicUs(modulusBytes: number, exponent: Uint8Array): number {
  const scale = (modulusBytes / 128) * (modulusBytes / 128);
  return multiplications(exponent) * MULT_1024_US * scale;
}

const blocks = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/** A CryptoProvider that charges the modeled clock for every operation it forwards. */
export function meteredCrypto(inner: CryptoProvider, clock: ModeledClock, counters: ComputeCounters): CryptoProvider {
  const charge = (us: number) => {
    counters.us += us;
    clock.advanceUs(us);
  };
  return {
    aesEcbEncrypt: (k, d) => (charge(10 * blocks(d.length, 16)), inner.aesEcbEncrypt(k, d)),
    aesEcbDecrypt: (k, d) => (charge(10 * blocks(d.length, 16)), inner.aesEcbDecrypt(k, d)),
    aesCbcEncrypt: (k, iv, d) => (charge(10 * blocks(d.length, 16)), inner.aesCbcEncrypt(k, iv, d)),
    aesCbcDecrypt: (k, iv, d) => (charge(10 * blocks(d.length, 16)), inner.aesCbcDecrypt(k, iv, d)),
    tdesEcbEncrypt: (k, d) => (charge(15 * blocks(d.length, 8)), inner.tdesEcbEncrypt(k, d)),
    tdesEcbDecrypt: (k, d) => (charge(15 * blocks(d.length, 8)), inner.tdesEcbDecrypt(k, d)),
    tdesCbcEncrypt: (k, iv, d) => (charge(15 * blocks(d.length, 8)), inner.tdesCbcEncrypt(k, iv, d)),
    tdesCbcDecrypt: (k, iv, d) => (charge(15 * blocks(d.length, 8)), inner.tdesCbcDecrypt(k, iv, d)),
    sha1: (d) => (charge(20 * blocks(d.length + 9, 64)), inner.sha1(d)),
    sha256: (d) => (charge(20 * blocks(d.length + 9, 64)), inner.sha256(d)),
    hmacSha256: (k, d) => (charge(20 * (blocks(d.length + 9, 64) + 3)), inner.hmacSha256(k, d)),
    rsaPublic: (m, e, d) => {
      counters.rsa++;
      charge(rsaPublicUs(m.length, e));
      return inner.rsaPublic(m, e, d);
    },
  };
}

/** A transport that charges the kernel's per-APDU work and counts the APDUs. */
export function meteredTransport(inner: ContactlessTransport, clock: ModeledClock, counters: ComputeCounters): ContactlessTransport {
  return {
    async transmit(command: Uint8Array): Promise<Uint8Array> {
      counters.apdus++;
      counters.us += APDU_US;
      clock.advanceUs(APDU_US);
      return inner.transmit(command);
    },
    deselect: () => inner.deselect(),
  };
}
