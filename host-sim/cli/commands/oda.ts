import { existsSync, readFileSync } from "fs";
import { isAbsolute, join } from "path";
import { MposError } from "../../../kernel/errors";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../../cards";
import { projectRoot } from "../../xs-engine/bundle";
import { issuerCertificate } from "../../xs-engine/services/emv-crypto";
import { allowOnly, option, requireOption, UsageError } from "../args";
import type { Command, CliIo } from "../command";

// `mpos oda issuer-cert`: recovers an Issuer Public Key Certificate (tag 90) with the terminal's CA
// public keys and checks it as EMV Book 2, 5.3 says (issue 6, item 5). The CA keys are the published
// TEST keys (../shared/vectors/capk-test.json) and the simulator's test CA keys, or --capk FILE; the
// revocation list is the simulator's, or --crl FILE.

/** The published payment-system TEST keys, beside the repository (issue 6: "../shared/vectors"). */
export function sharedCapkPath(): string {
  return join(projectRoot(), "..", "shared", "vectors", "capk-test.json");
}

function readJson(io: CliIo, path: string, what: string): unknown {
  const full = isAbsolute(path) ? path : join(io.cwd, path);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch {
    throw new MposError("file", `cannot read the ${what} file ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new MposError("file", `the ${what} file ${path} is not JSON`);
  }
}

/** YYMMDD of today (UTC), the Transaction Date a terminal would use. */
function today(): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
}

export const odaIssuerCert: Command = {
  path: ["oda", "issuer-cert"],
  summary: "recover and check an issuer public key certificate (EMV Book 2 5.3)",
  usage:
    "mpos oda issuer-cert --rid HEX --index HEX --cert HEX [--remainder HEX] --exponent HEX --pan DIGITS\n" +
    "                     [--date YYMMDD] [--capk FILE] [--crl FILE] [--json]\n" +
    "  --rid HEX        RID of the application (5 bytes)\n" +
    "  --index HEX      CA public key index (tag 8F)\n" +
    "  --cert HEX       issuer public key certificate (tag 90)\n" +
    "  --remainder HEX  issuer public key remainder (tag 92), when the card has one\n" +
    "  --exponent HEX   issuer public key exponent (tag 9F32)\n" +
    "  --pan DIGITS     application PAN (tag 5A)\n" +
    "  --date YYMMDD    transaction date for the expiry check (default today)\n" +
    "  --capk FILE      CA public keys, capk-test.json format (default: the published TEST keys and the simulator's)\n" +
    "  --crl FILE       revocation list {\"entries\":[{rid,index,serial}]} (default: the simulator's)\n" +
    "Exit status 1 when the certificate is not valid ({\"ok\":false,\"reason\":...}).",
  async run(args, io) {
    allowOnly(args, ["rid", "index", "cert", "remainder", "exponent", "pan", "date", "capk", "crl"]);
    const date = option(args, "date") ?? today();
    if (!/^[0-9]{6}$/.test(date)) throw new UsageError("--date must be YYMMDD");
    const capkPath = option(args, "capk");
    let capk: unknown[];
    if (capkPath !== undefined) capk = [readJson(io, capkPath, "CA public key")];
    else capk = existsSync(sharedCapkPath()) ? [readJson(io, sharedCapkPath(), "CA public key"), SIM_CAPK_FILE] : [SIM_CAPK_FILE];
    const crlPath = option(args, "crl");
    return issuerCertificate({
      capk, crl: crlPath !== undefined ? readJson(io, crlPath, "revocation list") : SIM_CRL_FILE,
      rid: requireOption(args, "rid"), index: requireOption(args, "index"), cert: requireOption(args, "cert"),
      remainder: option(args, "remainder"), exponent: requireOption(args, "exponent"), pan: requireOption(args, "pan"), today: date,
    });
  },
  format(result) {
    const r = result as Record<string, unknown>;
    if (!r.ok) return `issuer certificate NOT valid: ${String(r.reason)}`;
    return `issuer certificate valid: issuer ${String(r.issuerId)}, expires ${String(r.expiry)} (MMYY), serial ${String(r.serial)}, ` +
      `RSA ${Number(r.modulusLength) * 8} bits, exponent of ${String(r.exponentLength)} byte(s)`;
  },
};
