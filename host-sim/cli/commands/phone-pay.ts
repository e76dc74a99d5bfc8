import { randomBytes } from "crypto";
import WebSocket from "ws";
import { BridgeTransport, MemoryCredentialStore, ReaderClient, type BleStats, type ReaderEvent } from "../../../client";
import { InputError } from "../../../kernel/errors";
import { allowOnly, choice, option, requireOption, UsageError } from "../args";
import type { Command } from "../command";
import { issuerWithWallets, type ContactlessRunResult } from "../../picc/run-contactless";
import { formatContactless } from "../../picc/sim-run-args";
import { authorizationRequest, onlineAnswer } from "../../reader/acquirer";
import { SimPaymentEngine } from "../../reader/sim-payment-engine";
import { startSimReader } from "../../reader/sim-reader";
import { currency, parseAmount } from "../../sim/currency";
import type { SimRunResult } from "../../sim";
import { simRunCommand } from "./sim-run";

// `mpos phone pay` (issue 9, item 7): a phone payment end to end. It starts the simulated reader on
// the GATT bridge, connects the phone SDK to it over WebSocket exactly as an app would over BLE
// (Exchange MTU, passkey pairing of the link, the secure session, pairing with the code the reader
// shows), pays with the issuer host online through the phone, and prints the `sim run` report of
// the reader plus what it cost on the air.

/** The reader's `sim run` report (contact, magstripe or contactless), and what the phone saw. */
type PhonePayResult = Partial<SimRunResult | ContactlessRunResult> & {
  phone: { result: string; reason?: string; maskedPan?: string; ksn?: string; events: number };
  /** The payment alone: from start transaction to the outcome. */
  ble: BleStats;
  /** Connecting, securing the link, the handshake and pairing, before the payment. */
  bleSetup: Omit<BleStats, "mtu">;
};

const hex = (b: Uint8Array): string => Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16).toUpperCase()).join("");

export const phonePayCommand: Command = {
  path: ["phone", "pay"],
  summary: "pay from the phone SDK over the simulator's GATT bridge: pairing, secure session, online authorisation",
  usage:
    "mpos phone pay --card ID --interface contact|contactless|magstripe --amount 12.34 [--pin 1234] [--mtu 23|247] [--json]\n" +
    "  --card ID       a card profile (mpos sim cards; phones: visa-wallet, mc-wallet)\n" +
    "  --interface     how the cardholder presents the card\n" +
    "  --amount        in US dollars (the simulated terminal's currency), e.g. 12.34\n" +
    "  --pin           the PINs the cardholder types, attempt by attempt (default 1234)\n" +
    "  --mtu           the ATT_MTU the phone asks for (default 247; 23 is the BLE minimum)",
  async run(args) {
    allowOnly(args, ["card", "interface", "amount", "pin", "mtu"]);
    if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
    const card = requireOption(args, "card");
    const iface = choice(requireOption(args, "interface"), ["contact", "contactless", "magstripe"] as const, "--interface");
    const usd = currency("USD");
    const amount = parseAmount(requireOption(args, "amount"), usd.exponent);
    if (amount < 1) throw new InputError("amount", "amount must be at least 0.01");
    const pin = option(args, "pin");
    const pins = pin === undefined ? undefined : pin.split(",");
    const mtu = Number(choice(option(args, "mtu") ?? "247", ["23", "247"] as const, "--mtu"));
    // The acquirer's issuer host, with the phone wallets' token accounts too.
    const issuer = issuerWithWallets();
    const engine = new SimPaymentEngine({ presentCard: () => ({ card, interface: iface, pins }), issuer, model: "MPOS-R1", serial: "MPOSR1SIM0001", firmwareVersion: "0.1.0" });
    const reader = await startSimReader({ engine });
    const transport = new BridgeTransport({
      url: reader.url,
      WebSocket: WebSocket as unknown as ConstructorParameters<typeof BridgeTransport>[0]["WebSocket"],
      passkey: () => reader.display.nextPasskey(),
    });
    const client = new ReaderClient({
      transport, fleetCaPublicKey: reader.fleet.fleetCaPublicKey, credentials: new MemoryCredentialStore(randomBytes(8)), preferredMtu: mtu,
    });
    try {
      await client.connect();
      await client.pair({ phoneName: "mpos phone pay", code: () => reader.display.nextPairingCode() });
      const setup = client.stats();
      const tx = await client.startTransaction(
        { amount, currency: Number(usd.code), currencyExponent: usd.exponent, transactionType: "purchase", interfaces: [iface] },
        { authorise: async (data) => onlineAnswer(await issuer.authorize(authorizationRequest(data))) },
      );
      const events: ReaderEvent[] = [];
      for await (const e of tx.events) events.push(e);
      const outcome = await tx.outcome;
      const all = client.stats();
      const result: PhonePayResult = {
        ...(engine.lastResult ?? {}),
        phone: { result: outcome.result, events: events.length },
        ble: { mtu: all.mtu, frames: all.frames - setup.frames, bytes: all.bytes - setup.bytes, roundTrips: all.roundTrips - setup.roundTrips },
        bleSetup: { frames: setup.frames, bytes: setup.bytes, roundTrips: setup.roundTrips },
      };
      if (outcome.reason !== undefined) result.phone.reason = outcome.reason;
      if (outcome.maskedPan !== undefined) result.phone.maskedPan = outcome.maskedPan;
      if (outcome.envelope !== undefined) result.phone.ksn = hex(outcome.envelope.ksn);
      return result;
    } finally {
      await client.disconnect().catch(() => undefined);
      await reader.close();
    }
  },
  format(result) {
    const r = result as PhonePayResult;
    const lines: string[] = [];
    if ((r as { interface?: string }).interface === "contactless") lines.push(formatContactless(r as ContactlessRunResult));
    else if (r.outcome !== undefined) lines.push(simRunCommand.format!(r as SimRunResult));
    lines.push(`phone       ${r.phone.result}${r.phone.reason ? ` (${r.phone.reason})` : ""}${r.phone.maskedPan ? ` ${r.phone.maskedPan}` : ""}`);
    lines.push(`BLE         ATT_MTU ${r.ble.mtu}: ${r.ble.frames} frames, ${r.ble.bytes} bytes, ${r.ble.roundTrips} round trips for the payment`);
    lines.push(`            (${r.bleSetup.frames} frames, ${r.bleSetup.bytes} bytes, ${r.bleSetup.roundTrips} round trips to connect and pair)`);
    return lines.join("\n");
  },
  exitCode: () => 0,
};
