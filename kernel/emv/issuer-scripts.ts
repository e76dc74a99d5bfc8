import { concat } from "../bytes";
import { decodeTlv, TlvError, type Tlv } from "../tlv";
import { child } from "./card-tlv";
import { sendRaw } from "./commands";
import type { TransactionContext } from "./context";
import { TSI } from "./tsi";
import { TVR } from "./tvr";

// EMV 4.4 Book 3, 10.10: Issuer-to-Card Script Processing. The issuer's answer may carry scripts:
// template '71' to run before the second GENERATE AC, '72' after it. Each holds an optional Script
// Identifier '9F18' and Issuer Script Commands '86', sent to the card one by one; a status word whose
// SW1 is not '90', '62' or '63' stops that script. The results go into Issuer Script Results '9F5B'
// (Book 4, A5: one 5-byte entry per script).

export interface IssuerScript {
  template: "71" | "72";
  /** Issuer Script Identifier '9F18', 4 bytes, when present. */
  id?: Uint8Array;
  commands: Uint8Array[];
  /** False for a template that could not be parsed: it is not sent, and counts as failed. */
  wellFormed: boolean;
}

/** Book 4, A5: result byte, b8-b5 the outcome, b4-b1 the sequence number of the failing command. */
const SCRIPT_RESULT = { notPerformed: 0x00, failed: 0x10, successful: 0x20 } as const;

/**
 * The '71' and '72' templates of the issuer's answer, in the order received. A template that cannot
 * be parsed (no command, a Script Identifier not of 4 bytes, a command shorter than a header) is
 * kept as not well formed; data that is not BER-TLV at all is one such script of kind '71', since
 * the terminal meets it before the final GENERATE AC.
 */
export function parseIssuerScripts(bytes: Uint8Array): IssuerScript[] {
  let objects: Tlv[];
  try {
    objects = decodeTlv(bytes);
  } catch (e) {
    if (e instanceof TlvError) return [{ template: "71", commands: [], wellFormed: false }];
    throw e;
  }
  const scripts: IssuerScript[] = [];
  for (const o of objects) {
    if (o.tag !== "71" && o.tag !== "72") continue;
    const id = o.children ? child(o, "9F18") : undefined;
    const commands = o.children ? o.children.filter((c) => c.tag === "86").map((c) => c.value.slice()) : [];
    const wellFormed = o.children !== undefined && commands.length > 0 && (!id || id.length === 4) &&
      commands.every((c) => c.length >= 4);
    scripts.push({ template: o.tag, id: id && id.length === 4 ? id.value.slice() : undefined, commands, wellFormed });
  }
  return scripts;
}

function appendResult(ctx: TransactionContext, result: number, id: Uint8Array | undefined): void {
  const entry = concat(new Uint8Array([result]), id ?? new Uint8Array(4));
  const previous = ctx.data.get("9F5B");
  ctx.data.set("9F5B", previous ? concat(previous, entry) : entry);
}

/**
 * Runs the scripts of one template kind ('71' before, '72' after the final GENERATE AC). A failed
 * script sets "Script processing failed before/after final GENERATE AC"; the TSI says script
 * processing was performed once any script was sent.
 */
export async function processIssuerScripts(ctx: TransactionContext, scripts: IssuerScript[], template: "71" | "72"): Promise<void> {
  const failedBit = template === "71" ? TVR.scriptFailedBeforeFinalGenerateAc : TVR.scriptFailedAfterFinalGenerateAc;
  for (const script of scripts) {
    if (script.template !== template) continue;
    if (!script.wellFormed) {
      ctx.tvr.set(failedBit);
      appendResult(ctx, SCRIPT_RESULT.notPerformed, script.id);
      continue;
    }
    ctx.tsi.set(TSI.scriptProcessingPerformed);
    let result: number = SCRIPT_RESULT.successful;
    for (let i = 0; i < script.commands.length; i++) {
      const r = await sendRaw(ctx.deps.transport, script.commands[i]);
      if (r.sw1 !== 0x90 && r.sw1 !== 0x62 && r.sw1 !== 0x63) {
        result = SCRIPT_RESULT.failed | Math.min(i + 1, 0x0f);
        break;
      }
    }
    if (result !== SCRIPT_RESULT.successful) ctx.tvr.set(failedBit);
    appendResult(ctx, result, script.id);
  }
}
