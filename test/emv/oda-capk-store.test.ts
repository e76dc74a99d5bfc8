import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { CapkStore, capkChecksum, CertificateRevocationList, OdaConfigError } from "../../kernel/emv/oda";
import simCapk from "../../host-sim/cards/keys/sim-capk.json";
import { loadVectors } from "../support/vectors";

const capkTest = loadVectors("capk-test.json");

describe("EMV Book 2, 11.2.2: the CA public key store", () => {
  it("loads every published TEST key and verifies its check sum SHA-1(RID || index || modulus || exponent)", () => {
    const store = CapkStore.fromJson(c, capkTest);
    expect(store.size).toBe(capkTest.keys.length);
    for (const k of capkTest.keys) {
      const key = store.find(fromHex(k.rid), parseInt(k.index, 16));
      expect(key).toBeDefined();
      expect(key!.modulus.length * 8).toBe(k.modulusBits);
      expect(toHex(capkChecksum(c, key!))).toBe(k.checksum);
    }
  });

  it("selects a key by the RID of the AID and the CA Public Key Index (tag 8F), nothing else", () => {
    const store = CapkStore.fromJson(c, capkTest);
    expect(store.find(fromHex("A000000003"), 0x92)).toBeDefined();
    expect(store.find(fromHex("A000000004"), 0x92)).toBeUndefined();
    expect(store.find(fromHex("A000000003"), 0x93)).toBeUndefined();
  });

  it("loads the simulator's test CA keys beside the published ones without collisions", () => {
    const store = CapkStore.fromJson(c, capkTest, simCapk);
    expect(store.size).toBe(capkTest.keys.length + simCapk.keys.length);
  });

  it("keeps a key's expiry date (YYMMDD) when the file gives one; the check sum does not cover it", () => {
    const store = CapkStore.fromJson(c, { keys: [{ ...capkTest.keys[0], expiry: "291231" }] });
    expect(toHex(store.list()[0].expiry!)).toBe("291231");
    expect(() => CapkStore.fromJson(c, { keys: [{ ...capkTest.keys[0], expiry: "2912" }] })).toThrow(/YYMMDD/);
  });

  it("refuses a key whose check sum does not match, naming RID and index only", () => {
    const bad = JSON.parse(JSON.stringify(capkTest));
    bad.keys[2].modulus = bad.keys[2].modulus.slice(0, -2) + "7D";
    expect(() => CapkStore.fromJson(c, bad)).toThrow(OdaConfigError);
    expect(() => CapkStore.fromJson(c, bad)).toThrow(/A000000003\/95: checksum/);
  });

  it("refuses malformed files: no keys array, a 4-byte RID, an exponent other than 3 or 65537, no check sum", () => {
    const one = (patch: object) => ({ keys: [{ ...capkTest.keys[0], ...patch }] });
    expect(() => CapkStore.fromJson(c, { key: [] })).toThrow(/keys/);
    expect(() => CapkStore.fromJson(c, one({ rid: "A0000000" }))).toThrow(/RID/);
    expect(() => CapkStore.fromJson(c, one({ exponent: "05" }))).toThrow(/exponent/);
    expect(() => CapkStore.fromJson(c, one({ checksum: undefined }))).toThrow(/checksum/);
    expect(() => CapkStore.fromJson(c, one({ modulus: "XYZ" }))).toThrow(/hex/);
  });
});

describe("EMV Book 2, 5.3 step 10: the certification revocation list", () => {
  it("lists RID || CA index || certificate serial number triples", () => {
    const crl = CertificateRevocationList.fromJson({ entries: [{ rid: "A000000003", index: "94", serial: "03DA0A" }] });
    expect(crl.isRevoked(fromHex("A000000003"), 0x94, fromHex("03DA0A"))).toBe(true);
    expect(crl.isRevoked(fromHex("A000000003"), 0x92, fromHex("03DA0A"))).toBe(false);
    expect(crl.isRevoked(fromHex("A000000004"), 0x94, fromHex("03DA0A"))).toBe(false);
  });

  it("refuses an entry with a serial that is not 3 bytes", () => {
    expect(() => CertificateRevocationList.fromJson({ entries: [{ rid: "A000000003", index: "94", serial: "03DA" }] })).toThrow(OdaConfigError);
  });
});
