import { parseCommandApdu } from "../../kernel/iso7816/apdu";
import type { IccApplet } from "./applet";

// A small applet for level-1 tests and the bench: it answers every command by its case
// (ISO/IEC 7816-3:2006, 12.1.2) so each path of the transport is exercised:
//   case 1 -> '9000'; case 2 -> Ne bytes 00 01 02 ... then '9000';
//   case 3 -> '9000'; case 4 -> the command data echoed, then '9000'.
// Under T=0 a command with data arrives as case 4 (the card cannot tell 3 from 4), so it echoes.

export interface EchoAppletOptions {
  /** The card's computing time per command, µs (constant or by command). */
  processingUs?: number | ((command: Uint8Array) => number);
  /** A status to answer instead of '9000' (e.g. 0x6283, a warning), data unchanged. */
  sw?: number;
}

export function createEchoApplet(options: EchoAppletOptions = {}): IccApplet & { commands: Uint8Array[]; resets: string[] } {
  const commands: Uint8Array[] = [];
  const resets: string[] = [];
  const sw = options.sw ?? 0x9000;
  const trailer = [sw >> 8, sw & 0xff];
  return {
    commands,
    resets,
    reset(kind) {
      resets.push(kind);
    },
    process(command) {
      commands.push(command.slice());
      let apdu;
      try {
        apdu = parseCommandApdu(command);
      } catch {
        return new Uint8Array([0x67, 0x00]); // wrong length (ISO/IEC 7816-4, 5.6)
      }
      if (apdu.case === 2) {
        const out = new Uint8Array(apdu.ne + 2);
        for (let i = 0; i < apdu.ne; i++) out[i] = i & 0xff;
        out.set(trailer, apdu.ne);
        return out;
      }
      if (apdu.case === 4) return new Uint8Array([...apdu.data, ...trailer]);
      return new Uint8Array(trailer);
    },
    processingUs(command) {
      const p = options.processingUs;
      return typeof p === "function" ? p(command) : p ?? 0;
    },
  };
}
