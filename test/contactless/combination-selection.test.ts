import { aidMatches, buildCandidates, chooseCandidate, requestedKernelId, selectionName } from "../../kernel/contactless/combination-selection";
import { parsePpseFci, type DirectoryEntry } from "../../kernel/contactless/ppse";
import { preProcessing } from "../../kernel/contactless/pre-processing";
import { encodeTlv } from "../../kernel/tlv";
import { concat, toHex } from "../../kernel/bytes";
import { hex, readerConfig } from "./support";

const tlv = (tag: string, value: string | Uint8Array) => encodeTlv(tag, typeof value === "string" ? hex(value) : value);
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const ppse = (...entries: Uint8Array[]) =>
  tlv("6F", concat(tlv("84", ascii("2PAY.SYS.DDF01")), tlv("A5", tlv("BF0C", concat(...entries)))));
const entry = (aid: string, priority?: number, extra: Uint8Array[] = []) =>
  tlv("61", concat(tlv("4F", aid), ...(priority !== undefined ? [tlv("87", Uint8Array.of(priority))] : []), ...extra));

function allowed() {
  const pre = preProcessing(readerConfig().combinations, 500, 2);
  if (pre.kind !== "ok") throw new Error("pre-processing");
  return pre.combinations;
}

describe("PPSE and combination selection (Book B, 3.3)", () => {
  it("3.3.2.4: reads the directory entries of 'BF0C': ADF Name, label, priority, kernel, extended selection", () => {
    const r = parsePpseFci(ppse(entry("A0000000031010", 2, [tlv("50", ascii("VISA")), tlv("9F2A", "03"), tlv("9F29", "01")])));
    expect(r.kind).toBe("ok");
    if (r.kind !== "ok") return;
    expect(r.entries[0]).toMatchObject({ label: "VISA", priority: 2, order: 0 });
    expect(toHex(r.entries[0].kernelIdentifier!)).toBe("03");
    expect(toHex(r.entries[0].extendedSelection!)).toBe("01");
  });

  it("3.3.2.3 and step 1: no 'BF0C', or only entries without a valid ADF Name, is a PPSE failure", () => {
    expect(parsePpseFci(tlv("6F", tlv("84", ascii("2PAY.SYS.DDF01")))).kind).toBe("failed");
    expect(parsePpseFci(ppse(tlv("61", tlv("4F", "A000")))).kind).toBe("failed");
    expect(parsePpseFci(hex("6F05")).kind).toBe("failed");
  });

  it("step 2C, Table 3-6: without '9F2A' the kernel is the RID's default (Mastercard 2, Visa 3, Amex 4)", () => {
    const e = (aid: string, kid?: string): DirectoryEntry => ({ adfName: hex(aid), priority: 0, order: 0, ...(kid ? { kernelIdentifier: hex(kid) } : {}) });
    expect(requestedKernelId(e("A0000000041010"))).toBe(2);
    expect(requestedKernelId(e("A0000000031010"))).toBe(3);
    expect(requestedKernelId(e("A00000002501"))).toBe(4);
    expect(requestedKernelId(e("A0000001234567"))).toBe(0);
    expect(requestedKernelId(e("A0000000031010", "00"))).toBe(3);
    expect(requestedKernelId(e("A0000000031010", "02"))).toBe(2);
    // A domestic kernel needs three bytes.
    expect(requestedKernelId(e("A0000000031010", "81"))).toBeUndefined();
    expect(requestedKernelId(e("A0000000031010", "810102"))).toBe(0x810102);
  });

  it("step 2B: exact AID match, or a longer ADF Name where partial selection is allowed", () => {
    const visa = allowed().find((a) => a.combination.kernelId === 3)!.combination;
    expect(aidMatches(hex("A0000000031010"), visa)).toBe(true);
    expect(aidMatches(hex("A000000003101001"), visa)).toBe(true); // the terminal config allows partial selection
    expect(aidMatches(hex("A000000003101001"), { ...visa, partialSelection: false })).toBe(false);
    expect(aidMatches(hex("A00000000310"), visa)).toBe(false);
  });

  it("step 2D: an entry asking for a kernel the combination does not have is not a candidate", () => {
    const r = parsePpseFci(ppse(entry("A0000000031010", 1, [tlv("9F2A", "02")]), entry("A0000000041010", 2)));
    if (r.kind !== "ok") throw new Error(r.reason);
    const list = buildCandidates(r.entries, allowed());
    expect(list.map((c) => c.kernelId)).toEqual([2]);
  });

  it("3.3.3.2-3.3.3.3: the highest priority wins; no priority comes last; the first found among equals", () => {
    const r = parsePpseFci(ppse(entry("A0000000031010"), entry("A0000000041010", 2), entry("A000000003101002", 2)));
    if (r.kind !== "ok") throw new Error(r.reason);
    const list = buildCandidates(r.entries, allowed());
    expect(list.length).toBe(3);
    expect(toHex(chooseCandidate(list)!.entry.adfName)).toBe("A0000000041010");
    expect(chooseCandidate([list[0]])!.entry.priority).toBe(0);
  });

  it("3.3.3.5: the Extended Selection is appended to the DF name only where the combination supports it", () => {
    const r = parsePpseFci(ppse(entry("A0000000031010", 1, [tlv("9F29", "0102")])));
    if (r.kind !== "ok") throw new Error(r.reason);
    const [c] = buildCandidates(r.entries, allowed());
    expect(toHex(selectionName(c))).toBe("A0000000031010");
    const withExt = { ...c, allowed: { ...c.allowed, combination: { ...c.allowed.combination, extendedSelectionSupported: true } } };
    expect(toHex(selectionName(withExt))).toBe("A00000000310100102");
  });
});
