import { softwareCrypto as c } from "../../kernel/crypto";
import { dukptAesUpdateKey, intermediateKeyFor, oneBits } from "../../kernel/security/dukpt-aes";
import type { AesDukptDeviceState } from "../../kernel/security/dukpt-aes-device";
import { ksnRegister, nonReversibleKey, parseTdesKsn } from "../../kernel/security/dukpt-tdes";
import type { TdesDukptDeviceState } from "../../kernel/security/dukpt-tdes-device";
import type { RandomSource } from "../../hal/random";

/** A repeatable random source (xorshift32) for tests; never used by product code. */
export function seededRandom(seed: number): RandomSource & {
  bytes(n: number): Uint8Array; int(n: number): number; counter16(): number; counter10(): number;
} {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  const api = {
    fill(bytes: Uint8Array): void { for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff; },
    bytes(n: number): Uint8Array { const b = new Uint8Array(n); api.fill(b); return b; },
    int(n: number): number { return next() % n; },
    /** A random 32-bit counter with 1 to 16 one-bits. */
    counter16(): number { return randomCounter(next, 32, 16); },
    /** A random 21-bit counter with 1 to 10 one-bits. */
    counter10(): number { return randomCounter(next, 21, 10); },
  };
  return api;
}

function randomCounter(next: () => number, bits: number, maxOnes: number): number {
  for (;;) {
    const v = bits === 32 ? next() : next() & ((1 << bits) - 1);
    if (v !== 0 && oneBits(v) <= maxOnes) return v;
  }
}

/**
 * The registers a device holds just before it uses `counter`, computed independently of the
 * device algorithm from the rule "register i holds the key of the counter's bits above i, plus
 * bit i" (X9.24-3:2017, 6.5; X9.24-1:2009, A.2): register k (the lowest one-bit) holds the
 * counter's own key, registers below it are empty, a register above it holds a key when its bit
 * is clear and that future counter has few enough one-bits.
 */
function registersAt(counter: number, bits: number, maxOnes: number, keyOf: (counter: number) => Uint8Array): (Uint8Array | null)[] {
  const regs: (Uint8Array | null)[] = [];
  let k = 0;
  while (Math.floor(counter / 2 ** k) % 2 === 0) k++;
  for (let i = 0; i < bits; i++) {
    if (i < k) { regs[i] = null; continue; }
    if (i === k) { regs[i] = keyOf(counter); continue; }
    if (Math.floor(counter / 2 ** i) % 2 === 1) { regs[i] = null; continue; }
    const above = Math.floor(counter / 2 ** (i + 1)) * 2 ** (i + 1);
    const future = above + 2 ** i;
    regs[i] = oneBits(above) < maxOnes ? keyOf(future) : null;
  }
  return regs;
}

export function aesStateAt(ik: Uint8Array, ikid: Uint8Array, counter: number): AesDukptDeviceState {
  const type = ik.length === 16 ? "aes128" : ik.length === 24 ? "aes192" : "aes256";
  return {
    scheme: "aes-dukpt",
    keyType: type,
    initialKeyId: ikid.slice(),
    counter,
    registers: registersAt(counter, 32, 16, (n) => intermediateKeyFor(c, ik, ikid, n)),
    updateKey: dukptAesUpdateKey(c, ik, ikid, type),
  };
}

export function tdesStateAt(ipek: Uint8Array, ksn: Uint8Array, counter: number): TdesDukptDeviceState {
  const { initialKsn } = parseTdesKsn(ksn);
  const keyOf = (n: number): Uint8Array => {
    let key: Uint8Array = ipek.slice();
    let working = 0;
    for (let bit = 20; bit >= 0; bit--) {
      if ((n >>> bit) & 1) {
        working |= 1 << bit;
        key = nonReversibleKey(c, key, ksnRegister(initialKsn, working));
      }
    }
    return key;
  };
  return { scheme: "tdes-dukpt", initialKsn, counter, registers: registersAt(counter, 21, 10, keyOf) };
}

/** A tamper monitor for tests: `fire` plays the sensor interrupt, `latch` a tamper while off. */
export class FakeTamperMonitor {
  private handler: ((e: { cause: "enclosure" | "mesh" | "voltage" | "temperature" | "clock" }) => void) | null = null;
  latchedCause: "enclosure" | "mesh" | "voltage" | "temperature" | "clock" | null = null;
  onTamper(handler: (e: { cause: "enclosure" | "mesh" | "voltage" | "temperature" | "clock" }) => void): void {
    this.handler = handler;
  }
  async latched() { return this.latchedCause; }
  async rearm() { this.latchedCause = null; }
  fire(cause: "enclosure" | "mesh" | "voltage" | "temperature" | "clock" = "enclosure"): void {
    this.latchedCause = cause;
    if (this.handler) this.handler({ cause });
  }
}
