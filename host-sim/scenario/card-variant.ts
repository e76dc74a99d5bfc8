import { concat } from "../../kernel/bytes";
import { MposError } from "../../kernel/errors";
import { decodeTlv, encodeTlv, type Tlv } from "../../kernel/tlv";
import type { IccApplet } from "../icc/applet";

// A card of a profile with a different Language Preference '5F2D' (EMV Book 1, 11.3.4 and 12.2.4,
// in the FCI of the PSE and of the application; a contactless card's in the FCI of its
// application, Book B), or whose application asks the cardholder to
// confirm it (Application Priority Indicator '87' b8, Book 1, 12.2.3). The applet's SELECT and
// directory (READ RECORD) answers are rewritten; neither is signed data (the static data for SDA
// and DDA come from the application's records), so the card stays valid. The simulator's profiles
// all prefer English and need no confirmation.

export interface CardVariantOptions {
  /** ISO 639-1 code for '5F2D'. */
  language?: string;
  /** Set '87' b8: the application may be used only once the cardholder confirms it. */
  confirmation?: boolean;
}

const SELECT = 0xa4;
const READ_RECORD = 0xb2;

export class CardVariant implements IccApplet {
  private readonly language: Uint8Array | undefined;
  private readonly confirmation: boolean;

  constructor(private readonly inner: IccApplet, options: CardVariantOptions) {
    this.language = options.language ? Uint8Array.from(options.language, (ch) => ch.charCodeAt(0)) : undefined;
    this.confirmation = options.confirmation === true;
  }

  private rewrite(nodes: Tlv[], inDirectory: boolean): Uint8Array {
    return concat(...nodes.map((n) => {
      if (n.tag === "5F2D" && this.language) return encodeTlv("5F2D", this.language);
      if (n.tag === "87" && inDirectory && this.confirmation && n.length === 1) return encodeTlv("87", Uint8Array.of(n.value[0] | 0x80));
      if (!n.children) return encodeTlv(n.tag, n.value);
      // '61' directory entries and the FCI's 'A5' carry the priority indicator.
      return encodeTlv(n.tag, this.rewrite(n.children, inDirectory || n.tag === "61" || n.tag === "A5"));
    }));
  }

  reset(kind: "cold" | "warm"): void {
    this.inner.reset(kind);
  }

  process(command: Uint8Array): Uint8Array {
    const response = this.inner.process(command);
    const ins = command.length >= 4 && command[0] === 0x00 ? command[1] : -1;
    const n = response.length;
    if ((ins !== SELECT && ins !== READ_RECORD) || n < 2 || response[n - 2] !== 0x90 || response[n - 1] !== 0x00) return response;
    try {
      const nodes = decodeTlv(response.subarray(0, n - 2));
      // READ RECORD: only the directory records of the PSE ('70' holding '61' entries) are changed.
      if (ins === READ_RECORD && !(nodes.length === 1 && nodes[0].children?.some((c) => c.tag === "61"))) return response;
      return concat(this.rewrite(nodes, false), response.subarray(n - 2));
    } catch (e) {
      if (e instanceof MposError) return response;
      throw e;
    }
  }

  processingUs(command: Uint8Array): number {
    return this.inner.processingUs ? this.inner.processingUs(command) : 0;
  }
}
