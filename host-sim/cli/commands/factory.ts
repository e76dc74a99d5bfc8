import { randomFillSync } from "crypto";
import { existsSync } from "fs";
import { resolve } from "path";
import { zeroize } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import { softwareSessionCrypto } from "../../../kernel/protocol";
import { IDENTITY_NAMESPACE, identitySummary, provisionIdentity } from "../../factory/identity-records";
import { nvsPartitionCsv } from "../../factory/nvs-csv";
import { allowOnly, flag, option, requireOption, UsageError } from "../args";
import type { Command } from "../command";
import { writeOutputFile } from "./firmware";

// The factory's commissioning of a reader's identity (issue 10): the NVS records of namespace
// mpos-identity as the CSV that ESP-IDF's nvs_partition_gen.py turns into the partition image
// (README, "Flashing": the exact commands). The CSV holds the identity key: it is written with mode
// 600 and never printed.

/** nvs_partition_gen.py's size argument: the reader's nvs partition (hal/esp32/sdkconfig/partitions.csv). */
const NVS_PARTITION = { offset: "0x9000", size: "0x10000" };

interface ProvisionResult {
  out: string;
  namespace: string;
  serial: string;
  publicKey: string;
  keyId: string;
  issuerKeyId: string;
  notBefore: number;
  notAfter: number;
  /** The command that makes the partition image of the CSV (encrypted NVS, as the reader's build expects). */
  nvsPartitionGen: string;
}

function epochOption(text: string | undefined): number {
  if (text === undefined) return Math.floor(Date.now() / 1000);
  if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) throw new UsageError("--not-before must be seconds since 1970 (0 to 4294967295)");
  return Number(text);
}

function daysOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1) throw new UsageError("--validity-days must be 1 to 99999");
  return Number(text) * 24 * 3600;
}

export const factoryProvision: Command = {
  path: ["factory", "provision"],
  summary: "commission a reader's identity: key, fleet-CA certificate, fleet configuration key, as an NVS partition CSV",
  usage: "mpos factory provision --serial S --out FILE.csv [--not-before EPOCH] [--validity-days N] [--force]\n" +
    "  --serial S          the reader's serial (1 to 24 letters and digits; the certificate's subject)\n" +
    "  --out FILE.csv      the NVS partition CSV of namespace mpos-identity (holds the identity key: mode 600)\n" +
    "  --not-before EPOCH  start of the certificate's validity, seconds since 1970 (default now)\n" +
    "  --validity-days N   the certificate's validity (default 20 years)\n" +
    "  --force             overwrite FILE.csv\n" +
    "  The certificate is signed by the simulated fleet CA (host-sim/fleet, TEST keys).",
  booleanFlags: ["force"],
  async run(args, io) {
    allowOnly(args, ["serial", "out", "not-before", "validity-days", "force"]);
    const serial = requireOption(args, "serial");
    const out = requireOption(args, "out");
    const notBefore = epochOption(option(args, "not-before"));
    const validitySeconds = daysOption(option(args, "validity-days"));
    if (!flag(args, "force") && existsSync(resolve(io.cwd, out))) throw new InputError("file", `${out} exists (use --force to overwrite)`);
    const identity = provisionIdentity(softwareSessionCrypto, { fill: (b) => { randomFillSync(b); } }, { serial, notBefore, validitySeconds });
    try {
      writeOutputFile(io, out, nvsPartitionCsv(IDENTITY_NAMESPACE, identity.records), 0o600);
    } finally {
      zeroize(...Object.values(identity.records));
    }
    const bin = out.replace(/\.csv$/i, "") + ".bin";
    const result: ProvisionResult = {
      out, namespace: IDENTITY_NAMESPACE, ...identitySummary(softwareSessionCrypto, identity),
      nvsPartitionGen: `python -m esp_idf_nvs_partition_gen encrypt ${out} ${bin} ${NVS_PARTITION.size} --keygen --keyfile nvs_keys.bin`,
    };
    return result;
  },
  format(result) {
    const r = result as ProvisionResult;
    return `${r.out}: namespace ${r.namespace}, serial ${r.serial}, identity key id ${r.keyId} (certified by ${r.issuerKeyId})\n` +
      `partition image: ${r.nvsPartitionGen}`;
  },
};
