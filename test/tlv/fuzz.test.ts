import { fromHex } from "../../kernel/bytes";
import { buildDol, decodeTlv, TlvBuilder, TlvError, type Tlv } from "../../kernel/tlv";
import { loadVectors } from "../support/vectors";

// Every byte from a card is untrusted (ARCHITECTURE.md): whatever arrives, the decoder returns a
// tree or throws a TlvError, never anything else.

/** xorshift32: repeatable inputs, so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const SEEDS = loadVectors<{ tlv: { hex: string }[]; dol: { dol: string }[] }>("tlv-dol.json");
const RECORDS = [
  ...SEEDS.tlv.map((v) => v.hex),
  "6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A0000000031010870101",
  "FF8105169F02060000000010005A0847617390010100109C0100",
].map(fromHex).concat([
  // A GENERATE AC response with a long-form (81) length and a 128-byte signed dynamic data.
  new TlvBuilder().template("77", (b) => b
    .add("9F27", Uint8Array.of(0x80))
    .add("9F36", Uint8Array.of(0x00, 0x41))
    .add("9F4B", Uint8Array.from({ length: 128 }, (_, i) => (i * 37) & 0xff))
    .add("9F10", fromHex("0110A00003220000000000000000000000FF"))).toBytes(),
]);

function mutate(base: Uint8Array, next: () => number): Uint8Array {
  let bytes: number[] = Array.from(base);
  const edits = 1 + (next() % 4);
  for (let e = 0; e < edits; e++) {
    const at = bytes.length === 0 ? 0 : next() % bytes.length;
    switch (next() % 6) {
      case 0: bytes[at] = next() & 0xff; break; // replace a byte
      case 1: bytes[at] ^= 1 << (next() % 8); break; // flip a bit
      case 2: bytes.splice(at, 0, next() & 0xff); break; // insert
      case 3: bytes.splice(at, 1); break; // delete
      case 4: bytes = bytes.slice(0, at); break; // truncate
      default: bytes.splice(at, 0, [0x80, 0x81, 0x84, 0x85, 0xff, 0x9f, 0x1f][next() % 7]); break; // a length/tag edge byte
    }
  }
  return Uint8Array.from(bytes.map((b) => b & 0xff));
}

/** A decoded tree must describe the input: every value inside it, lengths consistent. */
function checkTree(nodes: Tlv[], input: Uint8Array): void {
  for (const n of nodes) {
    expect(n.value.length).toBe(n.length);
    expect(n.value.buffer).toBe(input.buffer);
    expect(n.value.byteOffset + n.value.length).toBeLessThanOrEqual(input.byteOffset + input.length);
    const constructed = (parseInt(n.tag.slice(0, 2), 16) & 0x20) !== 0;
    expect(n.children !== undefined).toBe(constructed);
    if (n.children) checkTree(n.children, input);
  }
}

describe("BER-TLV decoding of random and mutated input", () => {
  it("10,000 random and mutated inputs: only trees or TlvErrors, in every mode", () => {
    const next = prng(0x5eed1234);
    const outcomes = { decoded: 0, refused: 0 };
    const unexpected: string[] = [];
    for (let i = 0; i < 10000; i++) {
      let input: Uint8Array;
      if (i % 2 === 0) {
        input = new Uint8Array(next() % 80);
        for (let j = 0; j < input.length; j++) input[j] = next() & 0xff;
      } else {
        input = mutate(RECORDS[next() % RECORDS.length], next);
      }
      const options = [undefined, { lenient: true }, { ffPadding: false }][i % 3];
      try {
        checkTree(decodeTlv(input, options), input);
        outcomes.decoded++;
      } catch (e) {
        if (e instanceof TlvError && typeof e.code === "string" && e.message.length > 0) outcomes.refused++;
        else unexpected.push(`input ${i}: ${String(e)}`);
      }
    }
    expect(unexpected).toEqual([]);
    // The corpus exercises both outcomes, not just one.
    expect(outcomes.decoded).toBeGreaterThan(500);
    expect(outcomes.refused).toBeGreaterThan(500);
  });

  it("2,000 random and mutated DOLs: data of the asked length or a TlvError", () => {
    const next = prng(0xd01d01);
    const base = fromHex(SEEDS.dol[0].dol);
    for (let i = 0; i < 2000; i++) {
      const dol = i % 2 === 0 ? mutate(base, next) : Uint8Array.from({ length: next() % 40 }, () => next() & 0xff);
      try {
        const data = buildDol(dol, (tag) => (tag.length === 2 ? Uint8Array.of(0x12, 0x34) : undefined));
        expect(data.length).toBeLessThanOrEqual(252);
      } catch (e) {
        if (!(e instanceof TlvError)) throw e;
      }
    }
  });
});
