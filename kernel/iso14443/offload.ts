import type { Clock } from "../../hal/clock";
import type { IsoDepEngine, NfcController } from "../../hal/nfc-controller";
import { RfProtocolError, RfTimeoutError, RfTransmissionError } from "./errors";
import type { ContactlessTransport, Pcd, PcdOptions, PollResult } from "./pcd";
import { FIELD_RESET_MS, POLLING_GUARD_MS } from "./timing";

// The PCD over a controller that runs polling, anticollision, activation and the ISO-DEP block
// protocol itself (the PN532's InListPassiveTarget and InDataExchange): the kernel keeps the EMV
// decisions (collision -> one card only, removal) and maps the controller's failures onto the same
// typed errors the host-run protocol raises.

class OffloadTransport implements ContactlessTransport {
  constructor(private readonly engine: IsoDepEngine) {}

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const r = await this.engine.exchange(command);
    if (r.kind === "response") return r.bytes;
    if (r.kind === "timeout") throw new RfTimeoutError("ISO-DEP (controller): the PICC stopped answering");
    if (r.kind === "transmission-error") throw new RfTransmissionError("ISO-DEP (controller): damaged frames");
    throw new RfProtocolError("ISO-DEP (controller): the PICC broke the block protocol");
  }

  async deselect(): Promise<boolean> {
    await this.engine.deselect();
    return true;
  }
}

export class OffloadPcd implements Pcd {
  private readonly controller: NfcController;
  private readonly clock: Clock;
  private readonly engine: IsoDepEngine;

  constructor(options: PcdOptions) {
    if (!options.controller.isoDep) throw new Error("OffloadPcd needs a controller with an ISO-DEP engine");
    this.controller = options.controller;
    this.clock = options.clock;
    this.engine = options.controller.isoDep;
  }

  async poll(timeoutMs: number): Promise<PollResult> {
    await this.controller.fieldOn();
    await this.clock.sleep(POLLING_GUARD_MS);
    const r = await this.engine.activate(timeoutMs);
    if (r.kind === "none") return { kind: "no-card" };
    if (r.kind === "collision") return { kind: "collision" };
    return {
      kind: "activated",
      card: { technology: r.technology, identifier: r.identifier.slice(), answer: r.answer.slice(), bitRate: r.bitRate },
      transport: new OffloadTransport(this.engine),
    };
  }

  async awaitRemoval(timeoutMs: number): Promise<"removed" | "present"> {
    const deadline = this.clock.nowMs() + timeoutMs;
    await this.resetField();
    while (this.clock.nowMs() < deadline) {
      const r = await this.engine.activate(POLLING_GUARD_MS * 3);
      if (r.kind === "none") return "removed";
      await this.engine.deselect();
      await this.clock.sleep(POLLING_GUARD_MS);
    }
    return "present";
  }

  async resetField(): Promise<void> {
    await this.controller.fieldOff();
    await this.clock.sleep(FIELD_RESET_MS);
    await this.controller.fieldOn();
    await this.clock.sleep(POLLING_GUARD_MS);
  }

  async close(): Promise<void> {
    await this.controller.fieldOff();
  }
}
