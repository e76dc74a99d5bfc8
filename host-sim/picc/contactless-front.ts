import { constantTimeEqual } from "../../kernel/bytes";
import type { IccApplet } from "../icc/applet";
import { respond, SW } from "../cards/status-words";
import { PPSE, type ContactlessImage } from "./personalization";

// The contactless front of an M/Chip application (kernel 2): host-sim/cards' EmvCardApplet runs the
// application itself (GET PROCESSING OPTIONS, READ RECORD, GENERATE AC with CDA) over the
// contactless image; this front adds the PPSE (EMV Contactless Book B, 3.3.2) and the computing
// times of a contactless chip, which is faster than the contact chip the applet models.

const PPSE_NAME = Uint8Array.from(PPSE, (ch) => ch.charCodeAt(0));

/** Contactless chip times, us: TDES cryptogram, a 1024-bit RSA signature (CDA) in about 30 ms. */
const CHIP_US = { simple: 1500, tdes: 7000, rsa: 30000 } as const;
const PHONE_APDU_US = 8000;

export class ContactlessFront implements IccApplet {
  constructor(private readonly inner: IccApplet, private readonly image: ContactlessImage) {}

  reset(kind: "cold" | "warm"): void {
    this.inner.reset(kind);
  }

  process(command: Uint8Array): Uint8Array {
    const isSelect = command.length >= 5 && command[0] === 0x00 && command[1] === 0xa4 && command[2] === 0x04;
    if (isSelect && command[4] === PPSE_NAME.length && command.length >= 5 + PPSE_NAME.length &&
        constantTimeEqual(command.subarray(5, 5 + PPSE_NAME.length), PPSE_NAME)) {
      return command[3] === 0x00 ? respond(SW.ok, this.image.ppseFci) : respond(SW.fileNotFound);
    }
    return this.inner.process(command);
  }

  processingUs(command: Uint8Array): number {
    const phone = this.image.contactless.formFactor === "phone" ? PHONE_APDU_US : 0;
    if (command.length > 2 && command[0] === 0x80 && command[1] === 0xae) {
      return phone + CHIP_US.tdes + ((command[2] & 0x10) !== 0 && this.image.iccKey ? CHIP_US.rsa : 0);
    }
    return phone + CHIP_US.simple;
  }
}
