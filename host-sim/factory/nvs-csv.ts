import { fromHex, isHex, toHex } from "../../kernel/bytes";
import { ProvisionError } from "./identity-records";

// The input of ESP-IDF's NVS partition generator (components/nvs_flash/nvs_partition_generator,
// nvs_partition_gen.py; "NVS Partition Generator Utility" in the ESP-IDF Programming Guide): a CSV
// of `key,type,encoding,value` whose first entry is a namespace, then that namespace's entries.
// Each record is `data` with encoding `hex2bin`, which the tool writes as a blob: what Moddable's
// `preference` reads back with nvs_get_blob (modules/files/preference/esp32/modPreference.c) as
// an ArrayBuffer, which hal/esp32/secure-storage.ts returns.

/** ESP-IDF NVS: keys and namespace names are at most 15 characters (NVS_KEY_NAME_MAX_SIZE - 1). */
const NVS_NAME = /^[A-Za-z0-9._-]{1,15}$/;
/** nvs_partition_gen.py: a hex2bin blob of at most 508,000 bytes (blob of version 2); the reader's driver takes 4,000. */
const MAX_RECORD_BYTES = 4000;

export const NVS_CSV_HEADER = "key,type,encoding,value";

/** The CSV of one namespace's records, in the order given. */
export function nvsPartitionCsv(namespace: string, records: Record<string, Uint8Array>): string {
  if (!NVS_NAME.test(namespace)) throw new ProvisionError("an NVS namespace is 1 to 15 characters");
  const lines = [NVS_CSV_HEADER, `${namespace},namespace,,`];
  for (const [key, value] of Object.entries(records)) {
    if (!NVS_NAME.test(key)) throw new ProvisionError("an NVS key is 1 to 15 characters");
    if (value.length === 0 || value.length > MAX_RECORD_BYTES) throw new ProvisionError(`record ${key} must be 1 to ${MAX_RECORD_BYTES} bytes`);
    lines.push(`${key},data,hex2bin,${toHex(value)}`);
  }
  return lines.join("\n") + "\n";
}

/** Reads such a CSV back: namespace to record name to bytes (for the tests and a line's check of its output). */
export function parseNvsPartitionCsv(csv: string): Map<string, Map<string, Uint8Array>> {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== NVS_CSV_HEADER) throw new ProvisionError("not an NVS partition CSV (its header is key,type,encoding,value)");
  const out = new Map<string, Map<string, Uint8Array>>();
  let current: Map<string, Uint8Array> | null = null;
  for (const line of lines.slice(1)) {
    const [key, type, encoding, value, ...rest] = line.split(",");
    if (rest.length > 0 || !NVS_NAME.test(key ?? "")) throw new ProvisionError("a malformed NVS CSV line");
    if (type === "namespace") {
      current = new Map();
      out.set(key, current);
    } else if (type === "data" && encoding === "hex2bin" && current !== null && value !== undefined && value.length > 0 && isHex(value)) {
      current.set(key, fromHex(value));
    } else {
      throw new ProvisionError("the NVS CSV has an entry the reader's records do not use");
    }
  }
  return out;
}
