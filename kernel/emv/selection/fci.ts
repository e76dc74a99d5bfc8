import type { Tlv } from "../../tlv";
import { child, decodeCardTlv } from "../card-tlv";
import { CardDataError } from "../errors";

// EMV 4.4 Book 1, 11.3.4: the File Control Information an application's SELECT returns,
// '6F' { DF Name '84', FCI Proprietary Template 'A5' { '50', '87', '9F38' PDOL, '5F2D', '9F11',
// '9F12', 'BF0C' } }.

export interface AdfFci {
  /** The whole decoded response (stored as card data once the application is chosen). */
  objects: Tlv[];
  dfName: Uint8Array;
  proprietary: Tlv;
}

/** Parses an ADF's FCI; a response without '6F', '84' or 'A5' is a CardDataError. */
export function parseAdfFci(data: Uint8Array): AdfFci {
  const objects = decodeCardTlv(data, "SELECT");
  if (objects.length !== 1 || objects[0].tag !== "6F" || !objects[0].children) {
    throw new CardDataError("SELECT: the response is not one FCI template '6F'");
  }
  const df = child(objects[0], "84");
  const a5 = child(objects[0], "A5");
  if (!df || df.length < 5 || df.length > 16) throw new CardDataError("SELECT: the FCI has no valid DF Name '84'");
  if (!a5 || !a5.children) throw new CardDataError("SELECT: the FCI has no FCI Proprietary Template 'A5'");
  return { objects, dfName: df.value, proprietary: a5 };
}
