import { randomFillSync } from "crypto";
import type { RandomSource } from "../../../hal/random";
import { fromHex, toHex } from "../../../kernel/bytes";
import { softwareCrypto as c } from "../../../kernel/crypto";
import { decodePinBlock, encodePinBlock, type PinBlockFormat } from "../../../kernel/security";
import { allowOnly, choice, option, requireOption } from "../args";
import type { Command } from "../command";

// ISO 9564-1 PIN blocks for host tools: formats 0-3 give and take the clear 8-byte block; format 4
// is defined enciphered under an AES key (ISO 9564-1:2017, 9.4.2), so it needs --key.

/** The host's CSPRNG for random fill (formats 1, 3, 4). */
const hostRandom: RandomSource = { fill: (bytes) => { randomFillSync(bytes); } };

const FORMATS = ["0", "1", "2", "3", "4"] as const;

function keyOption(value: string | undefined): Uint8Array | undefined {
  return value === undefined ? undefined : fromHex(value);
}

export const pinblockEncodeCommand: Command = {
  path: ["pinblock", "encode"],
  summary: "encode an ISO 9564-1 PIN block (formats 0-3 clear, format 4 enciphered under an AES key)",
  usage:
    "mpos pinblock encode --format 0|1|2|3|4 --pin DIGITS [--pan DIGITS] [--key HEX] [--json]\n" +
    "  --format F     0 and 3 take the PAN; 1 and 2 do not; 4 takes the PAN and an AES key\n" +
    "  --pin DIGITS   4 to 12 digits\n" +
    "  --pan DIGITS   the PAN (8 to 19 digits)\n" +
    "  --key HEX      format 4: the AES key (16, 24 or 32 bytes)",
  async run(args) {
    allowOnly(args, ["format", "pin", "pan", "key"]);
    const format = Number(choice(requireOption(args, "format"), FORMATS, "--format")) as PinBlockFormat;
    const block = encodePinBlock(format, requireOption(args, "pin"),
      { pan: option(args, "pan"), key: keyOption(option(args, "key")), random: hostRandom }, c);
    return { block: toHex(block) };
  },
  format: (r) => (r as { block: string }).block,
};

export const pinblockDecodeCommand: Command = {
  path: ["pinblock", "decode"],
  summary: "decode an ISO 9564-1 PIN block to its PIN, checking every rule of its format",
  usage:
    "mpos pinblock decode --format 0|1|2|3|4 --block HEX [--pan DIGITS] [--key HEX] [--json]\n" +
    "  --block HEX    8 bytes (formats 0-3) or the 16-byte enciphered block (format 4)\n" +
    "  --pan DIGITS   formats 0, 3 and 4\n" +
    "  --key HEX      format 4: the AES key",
  async run(args) {
    allowOnly(args, ["format", "block", "pan", "key"]);
    const format = Number(choice(requireOption(args, "format"), FORMATS, "--format")) as PinBlockFormat;
    const pin = decodePinBlock(format, fromHex(requireOption(args, "block")), { pan: option(args, "pan"), key: keyOption(option(args, "key")) }, c);
    return { pin };
  },
  format: (r) => (r as { pin: string }).pin,
};
