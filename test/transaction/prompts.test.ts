import { MESSAGES } from "../../kernel/emv/messages";
import { PROMPTS } from "../../kernel/protocol/message-types";
import { CL_MESSAGES } from "../../kernel/contactless/ui";
import {
  catalogDrawable, chooseLanguage, displayableLanguages, drawable, layOut, parseLanguagePreference, PROMPT_CATALOG,
} from "../../kernel/transaction";

// Prompts (issue 8, item 5): the standard messages of EMV Book 4, 11.2 and of EMV Contactless Book
// A, 9.4 by their identifiers, in English, French, German, Spanish and Chinese, in the cardholder's
// language where the display can show it (Book 4, 11.1).

describe("the prompt catalog", () => {
  it("carries the Book 4, 11.2 (Table 8) messages with their identifiers and English texts", () => {
    for (const [name, m] of Object.entries(MESSAGES)) {
      const p = PROMPT_CATALOG[name as keyof typeof PROMPT_CATALOG];
      expect({ name, id: p.id, text: p.text.en }).toEqual({ name, id: m.id, text: m.text });
    }
  });

  it("uses the identifiers the phone protocol carries", () => {
    for (const [name, id] of Object.entries(PROMPTS)) {
      const p = PROMPT_CATALOG[name as keyof typeof PROMPT_CATALOG];
      if (p) expect({ name, id: p.id }).toEqual({ name, id });
    }
  });

  it("the contactless messages have their Book A, 9.4 identifiers", () => {
    expect(PROMPT_CATALOG.presentCard.id).toBe(CL_MESSAGES.presentCard.id);
    expect(PROMPT_CATALOG.processing.id).toBe(CL_MESSAGES.processing.id);
    expect(PROMPT_CATALOG.cardReadOk.id).toBe(CL_MESSAGES.cardReadOk.id);
    expect(PROMPT_CATALOG.presentCardAgain.id).toBe(CL_MESSAGES.presentCardAgain.id);
  });

  it("has every message in all five languages, each drawable in its language's character set", () => {
    for (const p of Object.values(PROMPT_CATALOG)) for (const t of Object.values(p.text)) expect(t.length).toBeGreaterThan(0);
    expect(catalogDrawable()).toEqual([]);
    expect(drawable("请输入密码", "latin-1")).toBe(false);
    expect(drawable("ACCEPTÉ", "ascii")).toBe(false);
  });
});

describe("the cardholder's language (Book 4, 11.1)", () => {
  it("a display declares what it can show: Chinese needs a GB 2312 font", () => {
    expect(displayableLanguages(["latin-1"])).toEqual(["en", "fr", "de", "es"]);
    expect(displayableLanguages(["latin-1", "gb2312"])).toEqual(["en", "fr", "de", "es", "zh"]);
    expect(displayableLanguages(["ascii"])).toEqual(["en"]);
  });

  it("the first language of the card's preference the reader supports, else the default", () => {
    expect(chooseLanguage(["it", "de", "fr"], ["en", "fr", "de"], "en")).toBe("de");
    expect(chooseLanguage(["zh"], ["en", "fr"], "en")).toBe("en");
    expect(chooseLanguage([], ["en"], "en")).toBe("en");
  });

  it("reads Language Preference '5F2D' as pairs of letters, skipping malformed ones", () => {
    expect(parseLanguagePreference(Uint8Array.from("frde", (c) => c.charCodeAt(0)))).toEqual(["fr", "de"]);
    expect(parseLanguagePreference(Uint8Array.of(0x46, 0x52, 0x00, 0x01, 0x65))).toEqual(["fr"]);
  });

  it("wraps a message on the display's lines, hanzi counting two columns", () => {
    expect(layOut("INSERT, SWIPE OR TRY ANOTHER CARD", 16, 3)).toEqual(["INSERT, SWIPE OR", "TRY ANOTHER CARD"]);
    expect(layOut("请插卡、刷卡或换卡", 8, 3)).toEqual(["请插卡、", "刷卡或换", "卡"]);
    expect(layOut("PROCESSING ERROR", 10, 1)).toEqual(["PROCESSING"]);
  });
});
