import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import {
  AES_DUKPT_MAX_COUNTER, aesKsn, dukptAesHostKey, dukptAesInitialKey, dukptAesUpdateKey, intermediateKeyFor,
  oneBits, type AesDukptKeyUsage, type DukptKeyType,
} from "../../kernel/security/dukpt-aes";
import {
  aesDukptExhausted, aesDukptLoadInitialKey, aesDukptNextTransaction, aesDukptWorkingKey, type AesDukptDeviceState,
} from "../../kernel/security/dukpt-aes-device";
import { loadVectors } from "../support/vectors";
import { aesStateAt, seededRandom } from "./support";

const v = loadVectors("dukpt-aes.json");

describe("AES DUKPT (ANSI X9.24-3-2017), host side", () => {
  it.each((v.initialKeys.map((k: any) => [k.bdk.length * 4, k])) as any[][])(
    "6.3.3: the Initial Key of an AES-%i BDK and Initial Key ID equals the published one", (_n, k: any) => {
      expect(toHex(dukptAesInitialKey(c, fromHex(k.bdk), fromHex(k.initialKeyId)))).toBe(k.initialKey);
    });

  it.each((v.derivationKeys.map((d: any) => [d.counter, d])) as any[][])(
    "6.1: the intermediate derivation key of counter %i walks the counter's one-bits from the top", (_n, d: any) => {
      const ik = dukptAesInitialKey(c, fromHex(d.bdk), fromHex(d.ksn).subarray(0, 8));
      expect(toHex(intermediateKeyFor(c, ik, fromHex(d.ksn).subarray(0, 8), d.counter))).toBe(d.derivationKey);
    });

  it.each((v.workingKeys.map((w: any) => [w.usage, w.keyType, w.counter, w])) as any[][])(
    "6.3: the %s %s working key of counter %i from BDK and KSN equals the published one", (_u, _t, _n, w: any) => {
      expect(toHex(dukptAesHostKey(c, fromHex(w.bdk), fromHex(w.ksn), w.usage, w.keyType))).toBe(w.key);
    });

  it("6.5.3: the DUKPT update key (counter FFFFFFFF, KEK usage) equals the X9.24-3 supplement's AES-128 value", () => {
    const ik = fromHex(v.initialKeys[0].initialKey);
    expect(toHex(dukptAesUpdateKey(c, ik, fromHex("1234567890123456"), "aes128"))).toBe("9A9770AEE1ACD1B13473D0463A1883B9");
  });

  it("6.1.3: a working key is never stronger than its derivation key", () => {
    const bdk = fromHex(v.initialKeys[0].bdk);
    const ksn = fromHex("123456789012345600000001");
    expect(() => dukptAesHostKey(c, bdk, ksn, "pin", "aes256")).toThrow(expect.objectContaining({ code: "key-type" }));
    expect(() => dukptAesHostKey(c, bdk, ksn, "pin", "aes192")).toThrow(expect.objectContaining({ code: "key-type" }));
    // TDEA keys (80 and 112 bits of strength) may come from an AES-128 key.
    expect(dukptAesHostKey(c, bdk, ksn, "pin", "2tdea")).toHaveLength(16);
    expect(dukptAesHostKey(c, bdk, ksn, "pin", "3tdea")).toHaveLength(24);
  });

  it("bad input is a typed error without key material: BDK length, KSN size, unusable counters", () => {
    const bdk = fromHex(v.initialKeys[0].bdk);
    const bad = (f: () => unknown, code: string) => {
      try { f(); } catch (e: any) {
        expect(e.code).toBe(code);
        expect(e.message).not.toContain(v.initialKeys[0].bdk);
        return;
      }
      throw new Error("expected an error");
    };
    bad(() => dukptAesHostKey(c, bdk.subarray(0, 15), fromHex("123456789012345600000001"), "pin", "aes128"), "key-length");
    bad(() => dukptAesHostKey(c, fromHex("0123456789ABCDEFFEDCBA98765432100123456789ABCDEF"), fromHex("123456789012345600000001"), "pin", "aes256"), "key-type");
    bad(() => dukptAesHostKey(c, bdk, fromHex("1234567890123456000001"), "pin", "aes128"), "dukpt-ksn");
    bad(() => dukptAesHostKey(c, bdk, fromHex("12345678901234560000000001"), "pin", "aes128"), "dukpt-ksn");
    bad(() => dukptAesHostKey(c, bdk, fromHex("123456789012345600000000"), "pin", "aes128"), "dukpt-counter");
    // 17 one-bits: a counter no device reaches (6.1)
    bad(() => dukptAesHostKey(c, bdk, fromHex("12345678901234560001FFFF"), "pin", "aes128"), "dukpt-counter");
    bad(() => dukptAesHostKey(c, bdk, fromHex("123456789012345600000001"), "pin" as AesDukptKeyUsage, "aes512" as DukptKeyType), "key-type");
  });
});

describe("AES DUKPT (ANSI X9.24-3-2017), device side", () => {
  function load(bdkHex: string, ikidHex: string): AesDukptDeviceState {
    const ik = dukptAesInitialKey(c, fromHex(bdkHex), fromHex(ikidHex));
    return aesDukptLoadInitialKey(c, ik, fromHex(ikidHex));
  }

  it("6.5.3: after Load Initial Key the device's first three transactions give the published working keys", () => {
    let state = load(v.initialKeys[0].bdk, v.initialKeys[0].initialKeyId);
    for (let counter = 1; counter <= 3; counter++) {
      const tx = aesDukptNextTransaction(c, state);
      expect(toHex(tx.ksn)).toBe(`1234567890123456${counter.toString(16).toUpperCase().padStart(8, "0")}`);
      expect(toHex(tx.intermediateKey)).toBe(v.derivationKeys[counter - 1].derivationKey);
      for (const w of v.workingKeys.filter((k: any) => k.counter === counter && k.bdk === v.initialKeys[0].bdk)) {
        expect(toHex(aesDukptWorkingKey(c, tx, w.usage, w.keyType))).toBe(w.key);
      }
      state = tx.next;
    }
  });

  it("6.5.3: an AES-256 device gives the published AES-256 PIN key of counter 1", () => {
    const k = v.initialKeys[1];
    const tx = aesDukptNextTransaction(c, load(k.bdk, k.initialKeyId));
    const w = v.workingKeys.find((x: any) => x.keyType === "aes256");
    expect(toHex(aesDukptWorkingKey(c, tx, "pin", "aes256"))).toBe(w.key);
  });

  it("the device side equals the host side for a thousand random KSNs (random BDKs, IKIDs, counters, usages)", () => {
    const random = seededRandom(0x5eed);
    const usages: AesDukptKeyUsage[] = ["pin", "mac-gen", "mac-verify", "mac-both", "data-encrypt", "data-decrypt", "data-both", "kek", "derivation"];
    let checked = 0;
    for (let device = 0; device < 20; device++) {
      const bdk = random.bytes([16, 24, 32][device % 3]);
      const ikid = random.bytes(8);
      const ik = dukptAesInitialKey(c, bdk, ikid);
      // Half the devices start from Load Initial Key, half from a random point of their life.
      let state = device % 2 === 0 ? aesDukptLoadInitialKey(c, ik, ikid) : aesStateAt(ik, ikid, random.counter16());
      for (let t = 0; t < 50; t++) {
        const tx = aesDukptNextTransaction(c, state);
        expect(oneBits(tx.counter)).toBeLessThanOrEqual(16);
        const usage = usages[random.int(usages.length)];
        const keyType = (["aes128", "2tdea", "3tdea"] as DukptKeyType[])[random.int(3)];
        expect(toHex(aesDukptWorkingKey(c, tx, usage, keyType))).toBe(toHex(dukptAesHostKey(c, bdk, tx.ksn, usage, keyType)));
        state = tx.next;
        checked++;
      }
    }
    expect(checked).toBe(1000);
  });

  it("6.5.3: walking from Load Initial Key, every state equals the state computed for its counter", () => {
    const ik = fromHex(v.initialKeys[0].initialKey);
    const ikid = fromHex("1234567890123456");
    let state = aesDukptLoadInitialKey(c, ik, ikid);
    for (let t = 0; t < 40; t++) {
      const expected = aesStateAt(ik, ikid, state.counter);
      expect(state.registers.map((r) => (r ? toHex(r) : null))).toEqual(expected.registers.map((r) => (r ? toHex(r) : null)));
      state = aesDukptNextTransaction(c, state).next;
    }
  });

  it("6.1: after a counter with 16 one-bits the device skips every counter with more, to counter + lowest one-bit", () => {
    const ik = fromHex(v.initialKeys[0].initialKey);
    const ikid = fromHex("1234567890123456");
    const state = aesStateAt(ik, ikid, 0x0000ffff);
    const tx = aesDukptNextTransaction(c, state);
    expect(tx.counter).toBe(0x0000ffff);
    expect(tx.next.counter).toBe(0x00010000);
    const tx2 = aesDukptNextTransaction(c, aesStateAt(ik, ikid, 0x00ff00ff));
    expect(tx2.next.counter).toBe(0x00ff0100);
    expect(toHex(aesDukptNextTransaction(c, tx2.next).ksn)).toBe("123456789012345600FF0100");
  });

  it("6.5.2: the last counter is FFFF0000; after it the device is exhausted and refuses to transact", () => {
    const ik = fromHex(v.initialKeys[0].initialKey);
    const ikid = fromHex("1234567890123456");
    const state = aesStateAt(ik, ikid, 0xfffe8000);
    const last = aesDukptNextTransaction(c, state);
    expect(last.next.counter).toBe(AES_DUKPT_MAX_COUNTER);
    const final = aesDukptNextTransaction(c, last.next);
    expect(toHex(final.ksn)).toBe("1234567890123456FFFF0000");
    expect(toHex(aesDukptWorkingKey(c, final, "pin", "aes128")))
      .toBe(toHex(dukptAesHostKey(c, fromHex(v.initialKeys[0].bdk), aesKsn(ikid, 0xffff0000), "pin", "aes128")));
    expect(aesDukptExhausted(final.next)).toBe(true);
    expect(() => aesDukptNextTransaction(c, final.next)).toThrow(expect.objectContaining({ code: "dukpt-exhausted" }));
  });

  it("advancing never changes the state it was given, and the current register is erased in the next one", () => {
    const state = load(v.initialKeys[0].bdk, v.initialKeys[0].initialKeyId);
    const before = state.registers.map((r) => (r ? toHex(r) : null));
    const tx = aesDukptNextTransaction(c, state);
    expect(state.registers.map((r) => (r ? toHex(r) : null))).toEqual(before);
    expect(tx.next.registers[0]).toBeNull();
    expect(state.counter).toBe(1);
    expect(tx.next.counter).toBe(2);
  });

  it("the device computes the update key at load (6.5.3) and keeps it in its state", () => {
    const state = load(v.initialKeys[0].bdk, v.initialKeys[0].initialKeyId);
    expect(toHex(state.updateKey)).toBe("9A9770AEE1ACD1B13473D0463A1883B9");
  });
});
