import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import {
  dukptTdesHostKey, dukptTdesIpek, tdesKsn, tdesTransactionKey, type TdesDukptVariant,
} from "../../kernel/security/dukpt-tdes";
import {
  tdesDukptExhausted, tdesDukptLoadInitialKey, tdesDukptNextTransaction, tdesDukptWorkingKey,
} from "../../kernel/security/dukpt-tdes-device";
import { loadVectors } from "../support/vectors";
import { seededRandom, tdesStateAt } from "./support";

// An independent implementation of X9.24-1 (the npm package the bench compares against).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NpmDukpt = require("dukpt");

const v = loadVectors("dukpt-tdes.json");

function ones(n: number): number {
  let k = 0;
  for (; n; n &= n - 1) k++;
  return k;
}

describe("TDES DUKPT (ANSI X9.24-1-2009), host side", () => {
  it("A.6: the IPEK from the BDK and the KSN (counter bits cleared) equals the published one", () => {
    expect(toHex(dukptTdesIpek(c, fromHex(v.bdk), fromHex(v.initialKsn)))).toBe(v.ipek);
    // The counter bits of the KSN do not enter the IPEK.
    expect(toHex(dukptTdesIpek(c, fromHex(v.bdk), fromHex("FFFF9876543210E00001")))).toBe(v.ipek);
  });

  it.each((v.sessionKeys.map((s: any) => [s.counter, s])) as any[][])(
    "A.2/A.3: the transaction key of counter %i (non-reversible key generation per one-bit) equals the published one", (_n, s: any) => {
      expect(toHex(tdesTransactionKey(c, fromHex(s.ipek), fromHex(s.ksn)))).toBe(s.sessionKey);
    });

  it.each((v.workingKeys.map((w: any) => [w.variant, w.counter, w])) as any[][])(
    "A.4.1 table A-1: the %s key of counter %i equals the published one", (_v, _n, w: any) => {
      expect(toHex(dukptTdesHostKey(c, fromHex(w.bdk), fromHex(w.ksn), w.variant))).toBe(w.key);
    });

  it("A.4.1: response variants xor bytes 4 (MAC) and 3 (data, then the one-way step) of each half", () => {
    const tk = fromHex(v.sessionKeys[0].sessionKey);
    const mac = dukptTdesHostKey(c, fromHex(v.bdk), fromHex(v.sessionKeys[0].ksn), "mac-response");
    const expected = tk.slice();
    expected[4] ^= 0xff; expected[12] ^= 0xff;
    expect(toHex(mac)).toBe(toHex(expected));
    const data = dukptTdesHostKey(c, fromHex(v.bdk), fromHex(v.sessionKeys[0].ksn), "data-response");
    const variant = tk.slice();
    variant[3] ^= 0xff; variant[11] ^= 0xff;
    expect(toHex(data)).toBe(toHex(c.tdesEcbEncrypt(variant, variant)));
  });

  it("agrees with an independent implementation (npm dukpt) on PIN, MAC request and data keys of random KSNs", () => {
    const random = seededRandom(42);
    for (let i = 0; i < 100; i++) {
      const bdk = toHex(random.bytes(16));
      const ksn = toHex(tdesKsn(random.bytes(10), random.counter10()));
      for (const [variant, mode] of [["pin", "pinkey"], ["mac-request", "mackey"], ["data-request", "datakey"]] as const) {
        const theirs = new NpmDukpt(bdk, ksn, mode)._sessionKey as string;
        expect(toHex(dukptTdesHostKey(c, fromHex(bdk), fromHex(ksn), variant))).toBe(theirs.toUpperCase());
      }
    }
  });

  it("bad input is a typed error: BDK length, KSN size, counter 0 or with 11 one-bits, unknown variant", () => {
    const bdk = fromHex(v.bdk);
    const codeOf = (f: () => unknown): string => { try { f(); } catch (e: any) { expect(e.message).not.toContain(v.bdk); return e.code; } return "none"; };
    expect(codeOf(() => dukptTdesHostKey(c, bdk.subarray(0, 8), fromHex("FFFF9876543210E00001"), "pin"))).toBe("key-length");
    expect(codeOf(() => dukptTdesHostKey(c, bdk, fromHex("FFFF9876543210E000"), "pin"))).toBe("dukpt-ksn");
    expect(codeOf(() => dukptTdesHostKey(c, bdk, fromHex("FFFF9876543210E0000001"), "pin"))).toBe("dukpt-ksn");
    expect(codeOf(() => dukptTdesHostKey(c, bdk, fromHex("FFFF9876543210E00000"), "pin"))).toBe("dukpt-counter");
    expect(codeOf(() => dukptTdesHostKey(c, bdk, fromHex("FFFF9876543210E007FF"), "pin"))).toBe("dukpt-counter");
    expect(codeOf(() => dukptTdesHostKey(c, bdk, fromHex("FFFF9876543210E00001"), "pin-x" as TdesDukptVariant))).toBe("key-type");
  });
});

describe("TDES DUKPT (ANSI X9.24-1-2009), device side", () => {
  it("A.2: Load Initial Key then two transactions give the published KSNs, transaction keys and variants", () => {
    let state = tdesDukptLoadInitialKey(c, fromHex(v.ipek), fromHex(v.initialKsn));
    for (const s of v.sessionKeys) {
      const tx = tdesDukptNextTransaction(c, state);
      expect(toHex(tx.ksn)).toBe(s.ksn);
      expect(toHex(tx.transactionKey)).toBe(s.sessionKey);
      for (const w of v.workingKeys.filter((k: any) => k.counter === s.counter)) {
        expect(toHex(tdesDukptWorkingKey(c, tx, w.variant))).toBe(w.key);
      }
      state = tx.next;
    }
  });

  it("the device side equals the host side for a thousand random KSNs", () => {
    const random = seededRandom(7);
    const variants: TdesDukptVariant[] = ["pin", "mac-request", "mac-response", "data-request", "data-response"];
    let checked = 0;
    for (let device = 0; device < 20; device++) {
      const bdk = random.bytes(16);
      const iksn = random.bytes(10);
      const ipek = dukptTdesIpek(c, bdk, iksn);
      let state = device % 2 === 0 ? tdesDukptLoadInitialKey(c, ipek, iksn) : tdesStateAt(ipek, iksn, random.counter10());
      for (let t = 0; t < 50; t++) {
        const tx = tdesDukptNextTransaction(c, state);
        expect(ones(tx.counter)).toBeLessThanOrEqual(10);
        const variant = variants[random.int(variants.length)];
        expect(toHex(tdesDukptWorkingKey(c, tx, variant))).toBe(toHex(dukptTdesHostKey(c, bdk, tx.ksn, variant)));
        state = tx.next;
        checked++;
      }
    }
    expect(checked).toBe(1000);
  });

  it("A.2 New Key: after a counter with 10 one-bits the device adds its lowest one-bit (skipping counters with 11)", () => {
    const ipek = fromHex(v.ipek);
    const tx = tdesDukptNextTransaction(c, tdesStateAt(ipek, fromHex(v.initialKsn), 0x0003ff));
    expect(tx.counter).toBe(0x0003ff);
    expect(tx.next.counter).toBe(0x000400);
    const tx2 = tdesDukptNextTransaction(c, tdesStateAt(ipek, fromHex(v.initialKsn), 0x07fc00 | 0x1));
    expect(tx2.next.counter).toBe(0x07fc02);
  });

  it("A.2 New Key-4: the last counter is 1FF800; after it the device ceases operation", () => {
    const ipek = fromHex(v.ipek);
    const state = tdesStateAt(ipek, fromHex(v.initialKsn), 0x1ff400);
    const t1 = tdesDukptNextTransaction(c, state);
    expect(t1.next.counter).toBe(0x1ff800);
    const last = tdesDukptNextTransaction(c, t1.next);
    expect(toHex(last.ksn)).toBe("FFFF9876543210FFF800");
    expect(toHex(tdesDukptWorkingKey(c, last, "pin"))).toBe(toHex(dukptTdesHostKey(c, fromHex(v.bdk), last.ksn, "pin")));
    expect(tdesDukptExhausted(last.next)).toBe(true);
    expect(() => tdesDukptNextTransaction(c, last.next)).toThrow(expect.objectContaining({ code: "dukpt-exhausted" }));
  });

  it("walking from Load Initial Key, every state equals the state computed for its counter", () => {
    const ipek = fromHex(v.ipek);
    let state = tdesDukptLoadInitialKey(c, ipek, fromHex(v.initialKsn));
    for (let t = 0; t < 40; t++) {
      const expected = tdesStateAt(ipek, fromHex(v.initialKsn), state.counter);
      expect(state.registers.map((r) => (r ? toHex(r) : null))).toEqual(expected.registers.map((r) => (r ? toHex(r) : null)));
      state = tdesDukptNextTransaction(c, state).next;
    }
  });
});
