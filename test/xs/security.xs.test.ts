import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { openEnvelope } from "../../kernel/security";
import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { SimulatedHsm } from "../../host-sim/hsm/hsm";
import { loadVectors } from "../support/vectors";
import { onBothEngines, startXs } from "../support/xs";

const aes = loadVectors("dukpt-aes.json");
const tdes = loadVectors("dukpt-tdes.json");
const pin = loadVectors("pinblock.json");
const tr31 = loadVectors("tr31.json");

// Issue 3 on the real XS engine: the security core answers exactly as on Node, and the answers are
// the published ones.
describe("security services on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  const w = aes.workingKeys[0];
  const t = tdes.workingKeys[2];
  const x = pin.aesDukptPinBlock;
  const k = tr31.cases[0];
  const calls: [string, string, unknown, unknown][] = [
    ["AES DUKPT PIN key of counter 1 (X9.24-3-2017)", "security.dukptAes",
      { bdk: w.bdk, ksn: w.ksn, usage: w.usage, keyType: w.keyType }, { initialKey: w.initialKey, key: w.key }],
    ["AES-256 DUKPT PIN key (X9.24-3-2017)", "security.dukptAes",
      { bdk: aes.workingKeys[15].bdk, ksn: aes.workingKeys[15].ksn, usage: "pin", keyType: "aes256" },
      { initialKey: aes.workingKeys[15].initialKey, key: aes.workingKeys[15].key }],
    ["TDES DUKPT data request key (X9.24-1-2009)", "security.dukptTdes",
      { bdk: t.bdk, ksn: t.ksn, variant: t.variant }, { ipek: t.ipek, key: t.key }],
    ["ISO 9564-1 format 0", "security.pinBlockEncode", { format: 0, pin: "1234", pan: "5555555551234567" }, { block: "041261AAAAEDCBA9" }],
    ["ISO 9564-1 format 4 under the AES DUKPT PIN key (X9.24-3-2017)", "security.pinBlockEncode",
      { format: 4, pin: x.pin, pan: x.pan, key: x.pinKey, randomFill: x.pinField.slice(16) }, { block: x.block }],
    ["ISO 9564-1 format 3 decode", "security.pinBlockDecode", { format: 3, block: "341261AAAAEDCBA9", pan: "5555555551234567" }, { pin: "1234" }],
    ["TR-31 version D unwrap (TR-31:2018 A.7.4)", "security.tr31Unwrap", { kbpk: k.kbpk, block: k.block }, { header: k.header, key: k.key }],
  ];

  it.each(calls)("%s: identical on both engines and equal to the published value", async (_name, service, args, expected) => {
    const { node, xs: onXs } = await onBothEngines(xs, service, args);
    expect(onXs).toEqual(node);
    expect(node).toEqual(expected);
  });

  it("a bad MAC is the same typed error on XS as on Node", async () => {
    const bad = k.block.slice(0, -1) + (k.block.endsWith("0") ? "1" : "0");
    const r = await xs.call("security.tr31Unwrap", { kbpk: k.kbpk, block: bad }).catch((e: any) => e);
    expect(JSON.stringify(r)).toMatch(/tr31-mac/);
  });

  it("TR-31 wrap on XS equals wrap on Node and unwraps to the key", async () => {
    const args = { kbpk: "1D22BF32387C600AD97F9B97A51311AC", version: "B", usage: "B1", algorithm: "T", modeOfUse: "X",
      key: tdes.ipek, ksn: "FFFF9876543210E00000", randomFill: "0123456789" };
    const { node, xs: onXs } = await onBothEngines(xs, "security.tr31Wrap", args);
    expect(onXs).toEqual(node);
    const back = await onBothEngines(xs, "security.tr31Unwrap", { kbpk: args.kbpk, block: (node as any).block });
    expect((back.xs as any).key).toBe(tdes.ipek);
    expect((back.xs as any).header.optionalBlocks).toEqual([{ id: "KS", data: "FFFF9876543210E00000" }]);
  });

  it.each([
    ["aes-dukpt", aes.initialKeys[0].initialKey, "1234567890123456"],
    ["tdes-dukpt", tdes.ipek, tdes.initialKsn],
  ])("%s device transactions (keys + PIN block + envelope) on XS equal Node and the host side", async (scheme, ik, id) => {
    const args = { scheme, initialKey: ik, id, transactions: 20, pin: toHex(new TextEncoder().encode("4321")), pan: "4111111111111111",
      items: [{ tag: "5A", value: "4111111111111111" }, { tag: "5F24", value: "271231" }], randomFill: "A55A0FF0" };
    const { node, xs: onXs } = await onBothEngines(xs, "security.deviceTransactions", args);
    expect(onXs).toEqual(node);
    // The host side (the HSM, from the BDK) opens every envelope and verifies every PIN block.
    const bdk = fromHex(scheme === "aes-dukpt" ? aes.initialKeys[0].bdk : tdes.bdk);
    const hsm = new SimulatedHsm({ crypto: c, random: { fill: () => undefined }, aesBdk: fromHex(aes.initialKeys[0].bdk), tdesBdk: fromHex(tdes.bdk) });
    const ksns = new Set<string>();
    for (const r of node as any[]) {
      ksns.add(r.ksn);
      const items = openEnvelope(c, bdk, { scheme: scheme as any, ksn: fromHex(r.ksn), ciphertext: fromHex(r.ciphertext), mac: fromHex(r.mac) });
      expect(toHex(items[0].value)).toBe("4111111111111111");
      expect(r.format).toBe(scheme === "aes-dukpt" ? 4 : 0);
      expect(hsm.verifyPin({ block: fromHex(r.pinBlock), ksn: fromHex(r.ksn), format: r.format }, "4111111111111111", new TextEncoder().encode("4321"))).toBe(true);
    }
    expect(ksns.size).toBe(20);
  });

  it("the key store on XS: injection, envelopes, then a tamper erases every key and refuses service", async () => {
    const hsm = new SimulatedHsm({ crypto: c, random: { fill: (b) => b.fill(7) }, aesBdk: fromHex(aes.initialKeys[0].bdk) });
    const kbpk = "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6";
    const block = hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), fromHex(kbpk), "A");
    const args = { kbpk, kbpkAlgorithm: "A", block, slot: "data", transactions: 3, items: [{ tag: "57", value: "4111111111111111D2712F" }], randomFill: "00" };
    const { node, xs: onXs } = await onBothEngines(xs, "security.keyStoreScenario", args);
    expect(onXs).toEqual(node);
    const r = onXs as any;
    expect(r.injected.ksn).toBe("123456789012345600000001");
    expect(r.envelopes.map((e: any) => e.ksn.slice(-2))).toEqual(["01", "02", "03"]);
    expect(r.before.state).toBe("ready");
    expect(r.after.state).toBe("tampered");
    expect(r.refused).toBe("tampered");
    expect(r.records).toEqual(["tamper.a"]);
  });

  it("the power-on self-tests include the DUKPT, PIN block and TR-31 known answers, passing on XS", async () => {
    const { node, xs: onXs } = await onBothEngines(xs, "selftest.run");
    expect(onXs).toEqual(node);
    const tests = (onXs as any).tests as { name: string; ok: boolean }[];
    const security = tests.filter((x) => /dukpt|pin block|tr-31/.test(x.name));
    expect(security.length).toBeGreaterThanOrEqual(10);
    expect(security.every((x) => x.ok)).toBe(true);
  });
});
