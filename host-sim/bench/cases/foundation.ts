import { benchResult as result, type BenchResult } from "../bench-result";
import type { KernelEngine } from "../../xs-engine/kernel-engine";
import { emvRecord1kHex, kilobyteHex } from "../fixtures";
import { nodeOperationMs, timeOnNode, xsOperation } from "../measure";

// Issue 2's figures: TLV decoding of a 1 KB EMV record against the npm peers, and AES, TDES and SHA
// throughput, each on Node and on XS.


function peerDecoders(): { name: string; decode: (bytes: Buffer) => unknown }[] {
  // Development-only peers, loaded at run time so the reader's bundle never contains them.
  const { TlvFactory } = require("ber-tlv");
  const nodeTlv = require("node-tlv");
  return [
    { name: "ber-tlv", decode: (b) => TlvFactory.parse(b) },
    { name: "node-tlv", decode: (b) => nodeTlv.parse(b) },
  ];
}

export async function benchFoundation(xs: KernelEngine): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const record = emvRecord1kHex();
  const recordBytes = Buffer.from(record, "hex");
  const name = `tlv decode 1 KB EMV record (${recordBytes.length} bytes)`;
  const goal = "faster than ber-tlv and node-tlv";

  const ours = nodeOperationMs("tlv.decode", record);
  results.push(result({ name, engine: "node", ms: ours, goal }));
  for (const peer of peerDecoders()) {
    const peerMs = timeOnNode(() => { peer.decode(recordBytes); });
    results.push(result({ name, engine: "node", ms: ours, peer: peer.name, ratio: ours / peerMs, goal,
      value: peerMs, unit: `ms per decode by ${peer.name}` }));
  }
  const onXs = await xsOperation(xs, "tlv.decode", record, 200);
  results.push(result({ name, engine: "xs", ...onXs }));

  const kb = kilobyteHex();
  const throughput: [string, string, number][] = [
    ["aes128.cbc", "aes-128 cbc encrypt 1 KB", 200],
    ["tdes.cbc", "tdes cbc encrypt 1 KB", 50],
    ["sha256", "sha-256 1 KB", 200],
    ["sha1", "sha-1 1 KB", 200],
  ];
  for (const [op, label, iterations] of throughput) {
    const ms = nodeOperationMs(op, kb);
    results.push(result({ name: label, engine: "node", ms, value: 1 / 1024 / (ms / 1000), unit: "MB/s" }));
    const x = await xsOperation(xs, op, kb, iterations);
    results.push(result({ name: label, engine: "xs", ...x, value: x.ms > 0 ? 1 / 1024 / (x.ms / 1000) : undefined,
      unit: "MB/s" }));
  }
  return results;
}
