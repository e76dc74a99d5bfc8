import { concat, fromHex, toHex } from "../../../kernel/bytes";
import type { ApduTransport } from "../../../kernel/iso7816/apdu";
import { parseCommandApdu, type ParsedCommandApdu } from "../../../kernel/iso7816/apdu";
import { encodeTlv } from "../../../kernel/tlv";

// A scripted EMV card for the kernel's clause-by-clause tests: it answers each command from data the
// test gives, without cryptography (the cryptogram and the signatures are fixed bytes; ODA goes
// through a fake OdaEnvironment). It records every command so a test can check what the kernel sent.
// The virtual cards with real keys (host-sim/cards) are used by the end-to-end tests.

export type Hex = string;

export interface TestApp {
  aid: Hex;
  label?: string;
  /** Application Priority Indicator '87' (hex byte). */
  priority?: Hex;
  pdol?: Hex;
  /** Language Preference '5F2D' (ASCII, e.g. "fren"). */
  languages?: string;
  /** SELECT status: "9000", "6283" (blocked)... */
  selectSw?: Hex;
  /** Answer with another DF Name than asked (a card bug). */
  dfName?: Hex;
  /** GET PROCESSING OPTIONS answer; default format 1 with `aip` and `afl` of the card. */
  gpoSw?: Hex;
}

export interface GenerateAcCall {
  p1: number;
  data: Uint8Array;
}

export interface TestCardOptions {
  /** PSE directory (SFI 10) entries, the '61' templates' content hex, per record; absent = no PSE ('6A82'). */
  pse?: Hex[][];
  pseSelectSw?: Hex;
  /** DDFs the PSE refers to ('9D' entries): DDF name -> its directory SFI and records (like `pse`). */
  ddfs?: Record<Hex, { sfi: number; records: Hex[][] }>;
  apps: TestApp[];
  /** Extra ADFs found by SELECT next (partial selection): aid prefix -> further DF names. */
  nextOccurrences?: Record<Hex, TestApp[]>;
  aip: Hex;
  afl: Hex;
  gpoFormat?: 1 | 2;
  /** Records by "SFI/record" (e.g. "1/1"), hex of the whole record. */
  records: Record<string, Hex>;
  /** GET DATA values by tag ('9F17', '9F36', '9F13'); absent = '6A88'. */
  getData?: Record<Hex, Hex>;
  pin?: string;
  pinTryCounter?: number;
  /** GENERATE AC: the card's answer given the request (returns CID, and optional extra fields). */
  generateAc?: (call: GenerateAcCall, n: number) => { cid: number; cryptogram?: Hex; iad?: Hex; format?: 1 | 2; sw?: Hex; extra?: Hex };
  /** EXTERNAL AUTHENTICATE: the Issuer Authentication Data the card accepts. */
  acceptIad?: Hex;
  /** Issuer script command answers by command hex prefix. */
  scriptSw?: Record<Hex, Hex>;
  internalAuthenticate?: { sw?: Hex; response?: Hex };
  challenge?: Hex;
}

export class TestCard implements ApduTransport {
  readonly log: { command: Hex; response: Hex }[] = [];
  readonly generateAcCalls: GenerateAcCall[] = [];
  readonly verifyCalls: { p2: number; data: Hex }[] = [];
  readonly externalAuthenticateCalls: Hex[] = [];
  pinTryCounter: number;
  private selected: TestApp | undefined;
  private nextIndex = new Map<string, number>();

  constructor(readonly o: TestCardOptions) {
    this.pinTryCounter = o.pinTryCounter ?? 3;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const r = this.answer(parseCommandApdu(command));
    this.log.push({ command: toHex(command), response: toHex(r) });
    return r;
  }

  private sw(data: Hex, sw: Hex = "9000"): Uint8Array {
    return fromHex(data + sw);
  }

  private fci(app: TestApp): Hex {
    const a5: Uint8Array[] = [];
    if (app.label) a5.push(encodeTlv("50", new TextEncoder().encode(app.label)));
    if (app.priority) a5.push(encodeTlv("87", fromHex(app.priority)));
    if (app.pdol) a5.push(encodeTlv("9F38", fromHex(app.pdol)));
    if (app.languages) a5.push(encodeTlv("5F2D", new TextEncoder().encode(app.languages)));
    const body = concat(encodeTlv("84", fromHex(app.dfName ?? app.aid)), encodeTlv("A5", concat(...a5)));
    return toHex(encodeTlv("6F", body));
  }

  private answer(c: ParsedCommandApdu): Uint8Array {
    const o = this.o;
    const key = `${c.cla.toString(16)}/${c.ins.toString(16)}`;
    switch (key) {
      case "0/a4": { // SELECT
        const name = toHex(c.data);
        if (name === "315041592E5359532E4444463031") {
          if (!o.pse) return this.sw("", o.pseSelectSw ?? "6A82");
          const fci = encodeTlv("6F", concat(encodeTlv("84", c.data), encodeTlv("A5", encodeTlv("88", fromHex("0A")))));
          return this.sw(toHex(fci), o.pseSelectSw ?? "9000");
        }
        const ddf = o.ddfs?.[name];
        if (ddf) {
          const fci = encodeTlv("6F", concat(encodeTlv("84", c.data), encodeTlv("A5", encodeTlv("88", new Uint8Array([ddf.sfi])))));
          return this.sw(toHex(fci));
        }
        if (c.p2 === 0x02) {
          const more = o.nextOccurrences?.[name] ?? [];
          const i = this.nextIndex.get(name) ?? 0;
          this.nextIndex.set(name, i + 1);
          if (i >= more.length) return this.sw("", "6A82");
          this.selected = more[i];
          return this.sw(this.fci(more[i]), more[i].selectSw ?? "9000");
        }
        this.nextIndex.set(name, 0);
        const all = [...o.apps, ...Object.values(o.nextOccurrences ?? {}).flat()];
        const exact = all.find((a) => a.aid === name);
        const app = exact ?? o.apps.find((a) => a.aid.startsWith(name));
        if (!app) return this.sw("", "6A82");
        this.selected = app;
        return this.sw(this.fci(app), app.selectSw ?? "9000");
      }
      case "0/b2": { // READ RECORD
        const sfi = c.p2 >> 3;
        if (sfi === 10 && o.pse) {
          const rec = o.pse[c.p1 - 1];
          if (!rec) return this.sw("", "6A83");
          const entries = concat(...rec.map((e) => encodeTlv("61", fromHex(e))));
          return this.sw(toHex(encodeTlv("70", entries)));
        }
        const ddf = Object.values(o.ddfs ?? {}).find((d) => d.sfi === sfi);
        if (ddf) {
          const rec = ddf.records[c.p1 - 1];
          if (!rec) return this.sw("", "6A83");
          return this.sw(toHex(encodeTlv("70", concat(...rec.map((e) => encodeTlv("61", fromHex(e)))))));
        }
        const r = o.records[`${sfi}/${c.p1}`];
        return r === undefined ? this.sw("", "6A83") : this.sw(r);
      }
      case "80/a8": { // GET PROCESSING OPTIONS
        if (this.selected?.gpoSw) return this.sw("", this.selected.gpoSw);
        if ((o.gpoFormat ?? 1) === 1) return this.sw(toHex(encodeTlv("80", fromHex(o.aip + o.afl))));
        return this.sw(toHex(encodeTlv("77", concat(encodeTlv("82", fromHex(o.aip)), encodeTlv("94", fromHex(o.afl))))));
      }
      case "80/ca": { // GET DATA
        const tag = toHex(new Uint8Array([c.p1, c.p2]));
        if (tag === "9F17" && o.pin !== undefined) return this.sw(toHex(encodeTlv("9F17", new Uint8Array([this.pinTryCounter]))));
        const v = o.getData?.[tag];
        return v === undefined ? this.sw("", "6A88") : this.sw(toHex(encodeTlv(tag, fromHex(v))));
      }
      case "0/20": { // VERIFY
        this.verifyCalls.push({ p2: c.p2, data: toHex(c.data) });
        if (this.pinTryCounter === 0) return this.sw("", "6983");
        const block = toHex(c.data);
        const expected = o.pin === undefined ? "" : `2${o.pin.length.toString(16)}${o.pin}`.padEnd(16, "F").toUpperCase();
        if (c.p2 === 0x80 && block === expected) {
          this.pinTryCounter = 3;
          return this.sw("");
        }
        if (c.p2 === 0x88) return this.sw(""); // the enciphered form is checked by the real cards
        this.pinTryCounter--;
        return this.sw("", `63C${this.pinTryCounter.toString(16).toUpperCase()}`);
      }
      case "0/84": // GET CHALLENGE
        return this.sw(o.challenge ?? "0102030405060708");
      case "0/88": { // INTERNAL AUTHENTICATE
        const ia = o.internalAuthenticate ?? {};
        return this.sw(ia.response ?? toHex(encodeTlv("80", new Uint8Array(64).fill(0x5a))), ia.sw ?? "9000");
      }
      case "80/ae": { // GENERATE AC
        const call = { p1: c.p1, data: c.data };
        this.generateAcCalls.push(call);
        const gen: NonNullable<TestCardOptions["generateAc"]> = o.generateAc ?? ((x) => ({ cid: x.p1 & 0xc0 }));
        const a = gen(call, this.generateAcCalls.length);
        const ac = a.cryptogram ?? "1122334455667788";
        const cid = a.cid.toString(16).padStart(2, "0");
        if ((a.format ?? 1) === 1) {
          return this.sw(toHex(encodeTlv("80", fromHex(cid + "0001" + ac + (a.iad ?? "")))), a.sw ?? "9000");
        }
        const body = concat(encodeTlv("9F27", fromHex(cid)), encodeTlv("9F36", fromHex("0001")), encodeTlv("9F26", fromHex(ac)),
          fromHex(a.extra ?? ""));
        return this.sw(toHex(encodeTlv("77", body)), a.sw ?? "9000");
      }
      case "0/82": { // EXTERNAL AUTHENTICATE
        this.externalAuthenticateCalls.push(toHex(c.data));
        return this.sw("", toHex(c.data) === o.acceptIad ? "9000" : "6300");
      }
      default: {
        const full = toHex(concat(new Uint8Array([c.cla, c.ins, c.p1, c.p2]), c.data));
        for (const [prefix, sw] of Object.entries(o.scriptSw ?? {})) if (full.startsWith(prefix)) return this.sw("", sw);
        return this.sw("", "6D00");
      }
    }
  }
}

/** A record: a '70' template of the given objects (tag -> hex). */
export function record(objects: [string, Hex][]): Hex {
  return toHex(encodeTlv("70", concat(...objects.map(([t, v]) => encodeTlv(t, fromHex(v))))));
}
