import { performance } from "perf_hooks";
import { benchResult as result, type BenchResult } from "../bench/bench-result";
import type { KernelEngine } from "../xs-engine/kernel-engine";
import { IssuerHost } from "../issuer";
import { authorizationRequest, onlineAnswer } from "./acquirer";
import { phoneHello, readerHandshake, runLoopbackPayment } from "./loopback-session";
import { SimPaymentEngine } from "./sim-payment-engine";

// The BLE protocol's figures for `mpos bench` (issue 9): per payment, the GATT frames, bytes and
// round trips and the framing overhead at ATT_MTU 23 and 247 (a contact chip payment with online PIN
// and online authorisation, the `mpos phone pay` flow over the in-memory GATT link), and the XS
// compute of setting up a session on the reader (ephemeral P-256 key, ECDH, ECDSA signature, HKDF):
// the public-key work done once per connection, never per payment. To be listed in
// host-sim/bench/run-bench.ts as { name: "ble", run: benchProtocol }.

export async function benchProtocol(xs: KernelEngine): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const mtu of [23, 247]) {
    const issuer = new IssuerHost();
    const engine = new SimPaymentEngine({ presentCard: () => ({ card: "visa-cda", interface: "contact" }), issuer, model: "MPOS-R1", serial: "MPOSR1SIM0001", firmwareVersion: "0.1.0" });
    const start = performance.now();
    const r = await runLoopbackPayment({
      mtu, seed: 1, engine, amount: 1234, currency: 840,
      authorise: async (data) => onlineAnswer(await issuer.authorize(authorizationRequest(data))),
    });
    const ms = performance.now() - start;
    const name = `ble payment at ATT_MTU ${mtu} (contact, online PIN, online authorisation)`;
    results.push(result({ name, engine: "node", ms, value: r.ble.frames, unit: "GATT frames per payment (writes + notifications)" }));
    results.push(result({ name, engine: "node", value: r.ble.bytes, unit: "bytes of frames per payment" }));
    results.push(result({ name, engine: "node", value: r.ble.roundTrips, unit: "round trips per payment" }));
    const overhead = (r.framing.frameBytes - r.framing.messageBytes) / r.framing.frameBytes;
    results.push(result({ name: `ble framing overhead at ATT_MTU ${mtu}`, engine: "node", value: Math.round(overhead * 1000) / 10,
      unit: "% of frame bytes that are framing (headers, credit and abort frames)" }));
    results.push(result({ name: `ble connect and pair at ATT_MTU ${mtu}`, engine: "node", value: r.setup.frames,
      unit: `GATT frames (${r.setup.bytes} bytes, ${r.setup.roundTrips} round trips), once per phone` }));
  }

  const hello = phoneHello(1);
  const cold = await xs.call("protocol.readerHandshake", { hello, seed: 1 });
  const warm = await xs.call("protocol.readerHandshake", { hello, seed: 2 });
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) readerHandshake({ hello, seed: 3 + i });
  const nodeMs = (performance.now() - t0) / 5;
  const name = "ble session setup on the reader (P-256 key, ECDH, ECDSA signature, HKDF)";
  const goal = "once per connection, never per payment; native crypto on the ESP32";
  results.push(result({ name, engine: "node", ms: nodeMs, goal }));
  results.push(result({ name, engine: "xs", compute: warm.meter!.compute, heap: warm.meter!.currentHeapCount, goal,
    value: cold.meter!.compute, unit: "XS compute of the first setup after start (curve tables, fleet certificate)" }));
  const payment = await xs.call("protocol.payment", { mtu: 247, seed: 1 });
  results.push(result({ name: "ble connect, pair and pay (scripted engine, ATT_MTU 247)", engine: "xs", compute: payment.meter!.compute,
    heap: payment.meter!.currentHeapCount }));
  return results;
}
