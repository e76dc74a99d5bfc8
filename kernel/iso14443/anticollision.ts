import type { NfcController } from "../../hal/nfc-controller";
import { RfFrameError } from "./errors";
import { TYPE_A_SHORT_TIMEOUT_US } from "./timing";
import {
  anticollisionFrame, bcc, CASCADE_TAG, getBit, parseSak, selectFrame, setBit, type CascadeLevel, type Sak,
} from "./type-a";

// The Type A select sequence of ISO/IEC 14443-3:2018, 6.5 (flow chart of Figure 9): at each cascade
// level, ANTICOLLISION until the whole UID CLn and its BCC are known, then SELECT, whose SAK says
// whether another cascade level follows. A collision is either resolved bit by bit, as ISO/IEC
// 14443-3 describes (6.5.3.2), or reported at once, as an EMV PCD does: EMV Book D has the terminal
// ask the cardholder to present one card only rather than choose among cards.

export type TypeASelection =
  | { kind: "selected"; uid: Uint8Array; sak: Sak; sakByte: number }
  | { kind: "collision" }
  | { kind: "timeout" }
  | { kind: "error"; cause: "transmission" | "protocol" };

/** Copies `count` bits of `from` (from bit 0) into `to` at bit `at`, LSB first. */
function copyBits(to: Uint8Array, at: number, from: Uint8Array, count: number): void {
  for (let i = 0; i < count; i++) setBit(to, at + i, getBit(from, i));
}

/**
 * Runs the select sequence on the PICC(s) that answered WUPA. With `resolveCollisions`, a collision
 * at bit k makes the PCD take the bits before it, choose 1 for bit k, and ask again with k + 1 more
 * known bits (6.5.3.2); without, the first collision ends the sequence.
 */
export async function selectTypeA(controller: NfcController, resolveCollisions: boolean): Promise<TypeASelection> {
  const uid: number[] = [];
  for (let level = 1 as CascadeLevel; level <= 3; level = (level + 1) as CascadeLevel) {
    // 40 bits: UID CLn (32) and BCC (8).
    const known = new Uint8Array(5);
    let knownBits = 0;
    for (;;) {
      const { frame, txBits } = anticollisionFrame(level, known, knownBits);
      const rx = await controller.transceive(frame, { crc: false, txBits, timeoutUs: TYPE_A_SHORT_TIMEOUT_US });
      if (rx.kind === "timeout") return { kind: "timeout" };
      if (rx.kind === "transmission-error") return { kind: "error", cause: "transmission" };
      if (rx.kind === "collision") {
        if (!resolveCollisions) return { kind: "collision" };
        const at = knownBits + rx.bits;
        // A collision inside the BCC with equal UID CLn bits cannot be resolved by choosing a bit.
        if (at >= 32) return { kind: "error", cause: "protocol" };
        copyBits(known, knownBits, rx.bytes, rx.bits);
        setBit(known, at, 1);
        knownBits = at + 1;
        continue;
      }
      if (knownBits + rx.bits !== 40) return { kind: "error", cause: "protocol" };
      copyBits(known, knownBits, rx.bytes, rx.bits);
      break;
    }
    const uidCl = known.slice(0, 4);
    // 6.5.3.3: a BCC that is not the XOR of the UID CLn is a transmission error.
    if (bcc(uidCl) !== known[4]) return { kind: "error", cause: "transmission" };
    const rx = await controller.transceive(selectFrame(level, uidCl), { crc: true, timeoutUs: TYPE_A_SHORT_TIMEOUT_US });
    if (rx.kind === "timeout") return { kind: "timeout" };
    if (rx.kind === "collision") return resolveCollisions ? { kind: "error", cause: "transmission" } : { kind: "collision" };
    if (rx.kind === "transmission-error") return { kind: "error", cause: "transmission" };
    let sak: Sak;
    try {
      sak = parseSak(rx.bytes);
    } catch (e) {
      if (e instanceof RfFrameError) return { kind: "error", cause: "protocol" };
      throw e;
    }
    if (sak.cascade) {
      // 6.5.4: an incomplete UID CLn starts with the cascade tag, then three UID bytes.
      if (uidCl[0] !== CASCADE_TAG || level === 3) return { kind: "error", cause: "protocol" };
      uid.push(uidCl[1], uidCl[2], uidCl[3]);
      continue;
    }
    uid.push(uidCl[0], uidCl[1], uidCl[2], uidCl[3]);
    return { kind: "selected", uid: Uint8Array.from(uid), sak, sakByte: rx.bytes[0] };
  }
  return { kind: "error", cause: "protocol" };
}
