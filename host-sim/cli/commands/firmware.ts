import { randomBytes } from "crypto";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { resolve } from "path";
import { toHex, zeroize } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import {
  FirmwareUpdateError, formatVersion, keyIdOf, parseVersion, verifySignedImage, versionCounter, type ImagePolicy,
} from "../../../kernel/firmware-update";
import { parseKeyFile, privateKeyPem, publicKeyPem } from "../../firmware/key-files";
import { keyPairFromSeed, signImage, SIMULATED_READER } from "../../firmware/signing";
import { allowOnly, flag, option, requireOption, UsageError, type ParsedArgs } from "../args";
import type { CliIo, Command } from "../command";

// The release tools of issue 13: key generation (test keys only), signing, verification. The
// production signing key never sits in the repository; `keygen` is for test and development keys.

/** Reads a file given on the command line; a missing or unreadable file is an input error. */
export function readInputFile(io: CliIo, path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(resolve(io.cwd, path)));
  } catch {
    throw new InputError("file", `cannot read the ${what} ${path}`);
  }
}

export function writeOutputFile(io: CliIo, path: string, data: string | Uint8Array, mode?: number): void {
  try {
    writeFileSync(resolve(io.cwd, path), data, mode === undefined ? undefined : { mode });
  } catch {
    throw new InputError("file", `cannot write ${path}`);
  }
}

/** An Ed25519 key file (private or public) from the command line. */
export function readKeyFile(io: CliIo, path: string) {
  const bytes = readInputFile(io, path, "key file");
  return parseKeyFile(new TextDecoder().decode(bytes));
}

function hardwareRevisionOption(args: ParsedArgs): number {
  const text = option(args, "hw-rev");
  if (text === undefined) return SIMULATED_READER.hardwareRevision;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 0xffff) throw new UsageError("--hw-rev must be 0 to 65535");
  return Number(text);
}

interface KeygenResult { privateKey: string; publicKey: string; keyId: string }

export const firmwareKeygen: Command = {
  path: ["firmware", "keygen"],
  summary: "make an Ed25519 firmware signing key pair (test and development keys only)",
  usage: "mpos firmware keygen --out FILE [--force]\n" +
    "  --out FILE   writes the private key to FILE (PKCS#8 PEM, mode 600) and the public key to FILE.pub\n" +
    "  --force      overwrite existing files\n" +
    "  The production signing key is never made or kept in the repository.",
  booleanFlags: ["force"],
  async run(args, io) {
    allowOnly(args, ["out", "force"]);
    const out = requireOption(args, "out");
    const pub = `${out}.pub`;
    if (!flag(args, "force") && (existsSync(resolve(io.cwd, out)) || existsSync(resolve(io.cwd, pub)))) {
      throw new InputError("file", `${out} or ${pub} exists (use --force to overwrite)`);
    }
    const seed = new Uint8Array(randomBytes(32));
    const { secretKey, publicKey } = keyPairFromSeed(seed);
    zeroize(seed);
    writeOutputFile(io, out, privateKeyPem(secretKey), 0o600);
    zeroize(secretKey);
    writeOutputFile(io, pub, publicKeyPem(publicKey));
    const result: KeygenResult = { privateKey: out, publicKey: pub, keyId: toHex(keyIdOf(publicKey)) };
    return result;
  },
  format(result) {
    const r = result as KeygenResult;
    return `private key ${r.privateKey}\npublic key  ${r.publicKey}\nkey id      ${r.keyId}`;
  },
};

interface SignResult {
  out: string; product: string; hardwareRevision: number; version: string; imageLength: number; imageHash: string; keyId: string;
}

export const firmwareSign: Command = {
  path: ["firmware", "sign"],
  summary: "sign a firmware image: header (product, hardware, version, length, SHA-256) and Ed25519 signature",
  usage: "mpos firmware sign --key FILE --in IMAGE --out SIGNED --version X.Y.Z [--product P] [--hw-rev N]\n" +
    "  --key FILE       the Ed25519 private key (PKCS#8 PEM, from mpos firmware keygen)\n" +
    "  --in IMAGE       the firmware image\n" +
    "  --out SIGNED     the signed image: header || signature || image\n" +
    "  --version X.Y.Z  the image's version (the reader refuses an older one)\n" +
    `  --product P      the product the image is for (default ${SIMULATED_READER.product})\n` +
    `  --hw-rev N       the hardware revision it is for (default ${SIMULATED_READER.hardwareRevision})`,
  async run(args, io) {
    allowOnly(args, ["key", "in", "out", "version", "product", "hw-rev"]);
    const key = readKeyFile(io, requireOption(args, "key"));
    if (key.kind !== "private") throw new FirmwareUpdateError("fw-key-file", "--key must be a private key to sign");
    const version = parseVersion(requireOption(args, "version"));
    const product = option(args, "product") ?? SIMULATED_READER.product;
    const hardwareRevision = hardwareRevisionOption(args);
    const image = readInputFile(io, requireOption(args, "in"), "image");
    if (image.length === 0) throw new FirmwareUpdateError("fw-field", "the image is empty");
    const out = requireOption(args, "out");
    let signed: Uint8Array;
    try {
      signed = signImage(image, { product, hardwareRevision, version }, key.secretKey);
    } finally {
      zeroize(key.secretKey);
    }
    writeOutputFile(io, out, signed);
    const header = verifySignedImage(signed, key.publicKey);
    const result: SignResult = {
      out, product, hardwareRevision, version: formatVersion(version), imageLength: image.length,
      imageHash: toHex(header.imageHash), keyId: toHex(header.keyId),
    };
    return result;
  },
  format(result) {
    const r = result as SignResult;
    return `signed ${r.out}: ${r.product} rev ${r.hardwareRevision} version ${r.version}, ${r.imageLength} bytes, ` +
      `SHA-256 ${r.imageHash}, key id ${r.keyId}`;
  },
};

type VerifyResult =
  | { valid: true; product: string; hardwareRevision: number; version: string; imageLength: number; imageHash: string; keyId: string }
  | { valid: false; code: string; reason: string };

export const firmwareVerify: Command = {
  path: ["firmware", "verify"],
  summary: "verify a signed firmware image (exit 0 only for a good image)",
  usage: "mpos firmware verify --in SIGNED --key FILE|FILE.pub [--product P --hw-rev N] [--min-version X.Y.Z]\n" +
    "  --in SIGNED          the signed image\n" +
    "  --key FILE           the public key (or the private key, whose public half is used)\n" +
    "  --product, --hw-rev  also check the image is for this product and hardware revision\n" +
    "  --min-version X.Y.Z  also check it is not older (as a reader with this anti-rollback counter)\n" +
    "  Exit status: 0 good image, 1 refused image (with the reason), 2 bad command line or key file.",
  async run(args, io) {
    allowOnly(args, ["in", "key", "product", "hw-rev", "min-version"]);
    const key = readKeyFile(io, requireOption(args, "key"));
    if (key.kind === "private") zeroize(key.secretKey);
    const signed = readInputFile(io, requireOption(args, "in"), "signed image");
    const product = option(args, "product");
    const minVersion = option(args, "min-version");
    let policy: ImagePolicy | undefined;
    if (product !== undefined || args.options.has("hw-rev") || minVersion !== undefined) {
      policy = {
        product: product ?? SIMULATED_READER.product,
        hardwareRevision: hardwareRevisionOption(args),
        rollbackCounter: minVersion === undefined ? 0 : versionCounter(parseVersion(minVersion)),
        slotBytes: 0xffffffff,
      };
    }
    let result: VerifyResult;
    try {
      const h = verifySignedImage(signed, key.publicKey, policy);
      result = {
        valid: true, product: h.product, hardwareRevision: h.hardwareRevision, version: formatVersion(h.version),
        imageLength: h.imageLength, imageHash: toHex(h.imageHash), keyId: toHex(h.keyId),
      };
    } catch (e) {
      if (!(e instanceof FirmwareUpdateError)) throw e;
      result = { valid: false, code: e.code, reason: e.message };
    }
    return result;
  },
  format(result) {
    const r = result as VerifyResult;
    return r.valid
      ? `good image: ${r.product} rev ${r.hardwareRevision} version ${r.version}, ${r.imageLength} bytes, key id ${r.keyId}`
      : `REFUSED (${r.code}): ${r.reason}`;
  },
  exitCode: (result) => ((result as VerifyResult).valid ? 0 : 1),
};
