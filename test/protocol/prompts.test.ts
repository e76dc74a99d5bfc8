import { decodeEvent, decodeMessage, encodeEvent, PROMPTS, promptOfId } from "../../kernel/protocol";
import { PROMPT_CATALOG, type Prompt } from "../../kernel/transaction";

// Every message the reader shows (kernel/transaction/prompts.ts: EMV Book 4, 11.2, Table 8; EMV
// Contactless Book A, 9.4; the reader's own from '80') reaches the phone as a PROMPT event by its
// message identifier (docs/protocol.md, event kind 1).

describe("prompts on the phone protocol", () => {
  it("every prompt of the reader's catalog has a protocol prompt with its identifier", () => {
    const missing: string[] = [];
    for (const [name, def] of Object.entries(PROMPT_CATALOG)) {
      const p = promptOfId(def.id);
      if (p === undefined || p !== name) missing.push(`${name} ${def.id.toString(16)}`);
    }
    expect(missing).toEqual([]);
  });

  it("the reader's own 0x82 cancelled, 0x83 timed out and 0x84 PIN entry limit are carried", () => {
    expect([PROMPTS.cancelled, PROMPTS.timedOut, PROMPTS.pinEntryLimit]).toEqual([0x82, 0x83, 0x84]);
    expect([promptOfId(0x82), promptOfId(0x83), promptOfId(0x84)]).toEqual(["cancelled", "timedOut", "pinEntryLimit"]);
    expect(promptOfId(0x7f)).toBeUndefined();
  });

  it.each(Object.keys(PROMPT_CATALOG) as Prompt[])("the PROMPT event of %s encodes and decodes with its identifier", (name) => {
    const prompt = promptOfId(PROMPT_CATALOG[name].id);
    expect(prompt).toBeDefined();
    const bytes = encodeEvent(41, { kind: "prompt", prompt: prompt! });
    expect(decodeEvent(decodeMessage(bytes))).toEqual({ transactionId: 41, event: { kind: "prompt", prompt: name } });
  });
});
