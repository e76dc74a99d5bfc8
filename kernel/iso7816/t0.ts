import type { ContactSlot } from "../../hal/contact-slot";
import { parseCommandApdu, type ApduTransport } from "./apdu";
import { ProtocolError } from "./errors";
import { abandon, receiveExactly, sendAll } from "./line";
import { t0TimeoutEtu } from "./timing";

// T=0, the character protocol (ISO/IEC 7816-3:2006, clause 10) and the transport of APDUs over it
// (clause 12.2; EMV Book 1, 9.3.1). The terminal sends a five-byte header CLA INS P1 P2 P3; the
// card answers with procedure bytes (10.3.3):
//   '60'        NULL: the card needs more time, wait another WWT;
//   INS         ACK: send (or receive) all the remaining data bytes;
//   INS xor FF  ACK: send (or receive) the next data byte only;
//   '6X' / '9X' (X != '60') SW1: SW2 follows and ends the command.

export interface T0Options {
  slot: ContactSlot;
  /** WI from TC2 (10 by default) and D: the waiting time is 960 x WI x D etu (10.2). */
  wi: number;
  Di: number;
  /** A card may send NULL bytes without end; this many in one command is taken as a fault. */
  maxNullBytes?: number;
}

/** Guards against a card that chains 61xx for ever; EMV responses are at most 256 bytes. */
const MAX_RESPONSE_BYTES = 4096;
const DEFAULT_MAX_NULL_BYTES = 100000;

const INS_GET_RESPONSE = 0xc0;

interface TpduResult {
  data: Uint8Array;
  sw1: number;
  sw2: number;
}

function isSw1(b: number): boolean {
  const hi = b & 0xf0;
  return (hi === 0x60 && b !== 0x60) || hi === 0x90;
}

/** The T=0 transport of command APDUs (short form; ISO/IEC 7816-3:2006, 12.2). */
export class T0Transport implements ApduTransport {
  private readonly slot: ContactSlot;
  private readonly timeoutEtu: number;
  private readonly maxNullBytes: number;

  constructor(options: T0Options) {
    this.slot = options.slot;
    // EMV Book 1, 9.2.2: the terminal waits WWT plus D x 480 etu before it gives up.
    this.timeoutEtu = t0TimeoutEtu(options.wi, options.Di);
    this.maxNullBytes = options.maxNullBytes ?? DEFAULT_MAX_NULL_BYTES;
  }

  /** One command APDU in, response data || SW1 SW2 out (EMV Book 1, 9.3.1 cases 1 to 4). */
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const apdu = parseCommandApdu(command);
    const head = command.subarray(0, 4);
    let r: TpduResult;
    switch (apdu.case) {
      case 1:
        // 12.2.2: case 1 is sent with P3 = '00'.
        r = await this.tpdu(header(head, 0), null, 0);
        break;
      case 2: {
        // 12.2.3: P3 = Le ('00' for 256). '6Cxx': wrong length, send the header again with P3 = xx.
        r = await this.tpdu(header(head, apdu.ne & 0xff), null, apdu.ne);
        if (r.sw1 === 0x6c) r = await this.tpdu(header(head, r.sw2), null, r.sw2 === 0 ? 256 : r.sw2);
        break;
      }
      case 3:
        // 12.2.4: P3 = Lc, the data after the ACK.
        r = await this.tpdu(header(head, apdu.data.length), apdu.data, 0);
        break;
      case 4: {
        // 12.2.5 and EMV Book 1, 9.3.1: sent as case 3; the card then says '61xx' (data ready)
        // or a warning ('62xx', '63xx', '9xxx' other than '9000') after which the terminal fetches
        // the data with GET RESPONSE Le = '00' and returns it with the warning.
        r = await this.tpdu(header(head, apdu.data.length), apdu.data, 0);
        const warning = r.sw1 === 0x62 || r.sw1 === 0x63 || ((r.sw1 & 0xf0) === 0x90 && !(r.sw1 === 0x90 && r.sw2 === 0x00));
        if (warning) {
          let fetched = await this.getResponse(0);
          if (fetched.sw1 === 0x61) fetched = await this.getResponseChain(fetched.data, fetched.sw2);
          if (fetched.sw1 === 0x90 && fetched.sw2 === 0x00) r = { data: fetched.data, sw1: r.sw1, sw2: r.sw2 };
          // Otherwise the card had no data for the warning: the warning alone is the answer.
        }
        break;
      }
    }
    if (r.sw1 === 0x61) r = await this.getResponseChain(r.data, r.sw2);
    const out = new Uint8Array(r.data.length + 2);
    out.set(r.data);
    out[r.data.length] = r.sw1;
    out[r.data.length + 1] = r.sw2;
    return out;
  }

  /** '61xx' (12.2.3, EMV Book 1, 9.3.1): GET RESPONSE with P3 = xx until the card stops saying 61. */
  private async getResponseChain(first: Uint8Array, sw2: number): Promise<TpduResult> {
    const parts: Uint8Array[] = [first];
    let total = first.length;
    let next = sw2;
    for (;;) {
      const r = await this.getResponse(next);
      parts.push(r.data);
      total += r.data.length;
      if (total > MAX_RESPONSE_BYTES) {
        return abandon(this.slot, new ProtocolError(`T=0: more than ${MAX_RESPONSE_BYTES} response bytes through 61xx`));
      }
      if (r.sw1 !== 0x61) {
        const data = new Uint8Array(total);
        let o = 0;
        for (const p of parts) {
          data.set(p, o);
          o += p.length;
        }
        return { data, sw1: r.sw1, sw2: r.sw2 };
      }
      next = r.sw2;
    }
  }

  /** One GET RESPONSE (P3 = le, '00' = 256), resent once with the length a '6Cxx' names. */
  private async getResponse(le: number): Promise<TpduResult> {
    const head = new Uint8Array([0x00, INS_GET_RESPONSE, 0x00, 0x00]);
    let r = await this.tpdu(header(head, le), null, le === 0 ? 256 : le);
    if (r.sw1 === 0x6c) r = await this.tpdu(header(head, r.sw2), null, r.sw2 === 0 ? 256 : r.sw2);
    return r;
  }

  /**
   * One command TPDU (10.3): the header, then procedure bytes until SW1 SW2. `out` is data the
   * terminal sends after an ACK (cases 3 and 4); `expectIn` the bytes it receives (case 2).
   */
  private async tpdu(head: Uint8Array, out: Uint8Array | null, expectIn: number): Promise<TpduResult> {
    const slot = this.slot;
    const ins = head[1];
    await sendAll(slot, head, "T=0 header");
    let sent = 0;
    const toSend = out ? out.length : 0;
    const received = new Uint8Array(out ? 0 : expectIn);
    let got = 0;
    let nulls = 0;
    for (;;) {
      const pb = (await receiveExactly(slot, 1, this.timeoutEtu, "T=0 procedure byte"))[0];
      if (pb === 0x60) {
        if (++nulls > this.maxNullBytes) {
          return abandon(slot, new ProtocolError(`T=0: more than ${this.maxNullBytes} NULL bytes in one command`));
        }
        continue;
      }
      if (isSw1(pb)) {
        const sw2 = (await receiveExactly(slot, 1, this.timeoutEtu, "T=0 SW2"))[0];
        return { data: received.subarray(0, got), sw1: pb, sw2 };
      }
      const all = pb === ins;
      const one = pb === (ins ^ 0xff);
      if (!all && !one) {
        return abandon(slot, new ProtocolError("T=0: a procedure byte that is neither NULL, ACK nor SW1 (ISO 7816-3, 10.3.3)"));
      }
      if (out) {
        if (sent >= toSend) return abandon(slot, new ProtocolError("T=0: ACK after all the command data was sent"));
        const n = all ? toSend - sent : 1;
        await sendAll(slot, out.subarray(sent, sent + n), "T=0 data");
        sent += n;
      } else {
        if (got >= expectIn) return abandon(slot, new ProtocolError("T=0: ACK when no data is expected"));
        const n = all ? expectIn - got : 1;
        received.set(await receiveExactly(slot, n, this.timeoutEtu, "T=0 data"), got);
        got += n;
      }
    }
  }
}

function header(head: Uint8Array, p3: number): Uint8Array {
  return new Uint8Array([head[0], head[1], head[2], head[3], p3 & 0xff]);
}
