// Netstrings (D. J. Bernstein): "<decimal length>:<bytes>,". The framing of xsnap-worker's pipes.

export function encodeNetstring(payload: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`${payload.length}:`);
  const out = new Uint8Array(head.length + payload.length + 1);
  out.set(head, 0);
  out.set(payload, head.length);
  out[out.length - 1] = 0x2c; // ","
  return out;
}

/** Incremental reader: feed chunks as they arrive, take out whole messages. */
export class NetstringReader {
  private buffer = new Uint8Array(0);

  /** The longest message accepted; a longer length prefix means the stream is corrupt. */
  constructor(private readonly maxLength = 64 * 1024 * 1024) {}

  push(chunk: Uint8Array): Uint8Array[] {
    const merged = new Uint8Array(this.buffer.length + chunk.length);
    merged.set(this.buffer, 0);
    merged.set(chunk, this.buffer.length);
    const messages: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      const colon = merged.indexOf(0x3a, offset);
      if (colon < 0) {
        if (merged.length - offset > 20) throw new Error("netstring: length prefix too long");
        break;
      }
      const digits = new TextDecoder().decode(merged.subarray(offset, colon));
      if (!/^\d+$/.test(digits)) throw new Error("netstring: bad length prefix");
      const length = Number(digits);
      if (length > this.maxLength) throw new Error(`netstring: message of ${length} bytes is too long`);
      const end = colon + 1 + length;
      if (end + 1 > merged.length) break;
      if (merged[end] !== 0x2c) throw new Error("netstring: missing trailing comma");
      messages.push(merged.slice(colon + 1, end));
      offset = end + 1;
    }
    this.buffer = merged.slice(offset);
    return messages;
  }
}
