import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { decodeTlv } from "../../kernel/tlv";
import { aesDukptLoadInitialKey } from "../../kernel/security/dukpt-aes-device";
import { dukptTdesHostKey, dukptTdesIpek } from "../../kernel/security/dukpt-tdes";
import { tdesDukptLoadInitialKey } from "../../kernel/security/dukpt-tdes-device";
import { protectTransaction, type DukptDeviceState } from "../../kernel/security/device-transaction";

// Operations measured by the bench, on Node and inside XS alike (this file is bundled into the XS
// services). `prepare` decodes the input once, so the loop measures only the operation.

export interface BenchOperation {
  prepare(args: { hex: string }): () => void;
}

const KEY16 = fromHex("2B7E151628AED2A6ABF7158809CF4F3C");
const KEY16_TDES = fromHex("0123456789ABCDEFFEDCBA9876543210");
const IV16 = new Uint8Array(16);
const IV8 = new Uint8Array(8);

/** The reader's work per card-present transaction: next KSN, working keys, PIN block, envelope. */
function deviceTransaction(load: () => DukptDeviceState): BenchOperation {
  return {
    prepare: ({ hex }) => {
      let state = load();
      const pin = new Uint8Array([0x31, 0x32, 0x33, 0x34]);
      const items = [{ tag: "57", value: fromHex(hex) }];
      const random = { fill: (b: Uint8Array) => b.fill(0xa5) };
      return () => {
        state = protectTransaction(softwareCrypto, state, { pin, pan: "4761739001010010", items }, random).next;
      };
    },
  };
}

const BDK_TDES = fromHex("0123456789ABCDEFFEDCBA9876543210");

export const benchOperations: Record<string, BenchOperation> = {
  "tlv.decode": { prepare: ({ hex }) => { const b = fromHex(hex); return () => { decodeTlv(b); }; } },
  "aes128.cbc": { prepare: ({ hex }) => { const b = fromHex(hex); return () => { softwareCrypto.aesCbcEncrypt(KEY16, IV16, b); }; } },
  "tdes.cbc": { prepare: ({ hex }) => { const b = fromHex(hex); return () => { softwareCrypto.tdesCbcEncrypt(KEY16_TDES, IV8, b); }; } },
  "sha256": { prepare: ({ hex }) => { const b = fromHex(hex); return () => { softwareCrypto.sha256(b); }; } },
  /** Host side (the HSM): the TDES DUKPT PIN key from BDK + KSN (hex: the KSN). */
  "dukpt.tdes.host": { prepare: ({ hex }) => { const ksn = fromHex(hex); return () => { dukptTdesHostKey(softwareCrypto, BDK_TDES, ksn, "pin"); }; } },
  "dukpt.aes.device": deviceTransaction(() => aesDukptLoadInitialKey(softwareCrypto, fromHex("1273671EA26AC29AFA4D1084127652A1"), fromHex("1234567890123456"))),
  "dukpt.tdes.device": deviceTransaction(() => tdesDukptLoadInitialKey(softwareCrypto,
    dukptTdesIpek(softwareCrypto, BDK_TDES, fromHex("FFFF9876543210E00000")), fromHex("FFFF9876543210E00000"))),
  "sha1": { prepare: ({ hex }) => { const b = fromHex(hex); return () => { softwareCrypto.sha1(b); }; } },
};

/** Runs `op` `iterations` times after preparing it; the XS meter of the call measures the loop. */
export function runBenchOperation(args: { op: string; hex: string; iterations: number }): { iterations: number } {
  const op = Object.prototype.hasOwnProperty.call(benchOperations, args.op) ? benchOperations[args.op] : undefined;
  if (!op) throw new Error(`no bench operation ${args.op}`);
  const run = op.prepare({ hex: args.hex });
  for (let i = 0; i < args.iterations; i++) run();
  return { iterations: args.iterations };
}
