import { fromHex, toHex } from "../../kernel/bytes";
import { openContactCard } from "../../kernel/iso7816/session";
import type { IccApplet } from "./applet";
import { createEchoApplet } from "./echo-applet";
import type { IccFault } from "./faults";
import { createVirtualIcc, type ExchangeTiming } from "./virtual-icc";

// The bench-facing way to run APDUs through the kernel's level 1 against a virtual ICC: it
// activates the card, sends the APDUs in order, deactivates, and reports what came back with the
// count of APDUs and the modeled line time. Pure TypeScript: it runs on Node and inside XS.

export interface ContactExchangeOptions {
  protocol: 0 | 1;
  /** Command APDUs, hex. */
  apdus: string[];
  /** The applet behind the card; the echo applet by default. */
  applet?: IccApplet;
  atr?: string;
  warmAtr?: string;
  faults?: IccFault[];
  clockHz?: number;
  /** Card computing time per command, µs, for the echo applet. */
  processingUs?: number;
}

export interface ContactExchangeReport {
  /** The accepted ATR, hex, and the reset that produced it. */
  atr: string;
  reset: "cold" | "warm";
  protocol: 0 | 1;
  /** Response APDUs, hex, in order. */
  responses: string[];
  /** Command APDUs exchanged. */
  apdus: number;
  /** Modeled time on the line from activation to the last character, µs. */
  modeledUs: number;
  atrUs: number;
  exchanges: ExchangeTiming[];
}

export async function runContactExchange(options: ContactExchangeOptions): Promise<ContactExchangeReport> {
  const applet = options.applet ?? createEchoApplet({ processingUs: options.processingUs ?? 0 });
  const slot = createVirtualIcc({
    applet,
    protocol: options.protocol,
    atr: options.atr,
    warmAtr: options.warmAtr,
    faults: options.faults,
    clockHz: options.clockHz,
  });
  const card = await openContactCard({ slot, clock: slot.clock });
  const responses: string[] = [];
  try {
    for (const hex of options.apdus) responses.push(toHex(await card.transport.transmit(fromHex(hex))));
  } finally {
    await card.deactivate();
  }
  const stats = slot.stats();
  return {
    atr: toHex(card.atr.bytes),
    reset: card.reset,
    protocol: card.protocol,
    responses,
    apdus: card.apduCount,
    modeledUs: stats.modeledUs,
    atrUs: stats.atrUs,
    exchanges: stats.exchanges,
  };
}
