import type {
  IsoDepActivation, IsoDepEngine, IsoDepExchange, NfcCapabilities, NfcController, RfConfiguration, RfReception, TransceiveOptions,
} from "../nfc-controller";
import type { HostLink } from "./host-link";

// The NFC front end (hal/nfc-controller.ts) of the firmware on the XS engine, served by the
// simulator's virtual field. A controller that runs ISO-DEP itself is served as a second device.

export const NFC = "nfc";
export const NFC_ISO_DEP = "nfc.isoDep";

class BridgeIsoDep implements IsoDepEngine {
  constructor(private readonly link: HostLink) {}

  activate(timeoutMs: number): Promise<IsoDepActivation> {
    return this.link.call(NFC_ISO_DEP, "activate", [timeoutMs]) as Promise<IsoDepActivation>;
  }

  exchange(apdu: Uint8Array): Promise<IsoDepExchange> {
    return this.link.call(NFC_ISO_DEP, "exchange", [apdu]) as Promise<IsoDepExchange>;
  }

  deselect(): Promise<void> {
    return this.link.act(NFC_ISO_DEP, "deselect");
  }
}

export class BridgeNfcController implements NfcController {
  readonly capabilities: NfcCapabilities;
  readonly isoDep?: IsoDepEngine;

  constructor(private readonly link: HostLink) {
    const described = link.callSync(NFC, "describe") as { capabilities: NfcCapabilities; isoDep: boolean };
    this.capabilities = described.capabilities;
    if (described.isoDep) this.isoDep = new BridgeIsoDep(link);
  }

  fieldOn(): Promise<void> {
    return this.link.act(NFC, "fieldOn");
  }

  fieldOff(): Promise<void> {
    return this.link.act(NFC, "fieldOff");
  }

  configure(configuration: RfConfiguration): Promise<void> {
    return this.link.act(NFC, "configure", [configuration]);
  }

  transceive(frame: Uint8Array, options: TransceiveOptions): Promise<RfReception> {
    return this.link.call(NFC, "transceive", [frame, options]) as Promise<RfReception>;
  }
}
