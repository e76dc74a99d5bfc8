import type { CharacterSet } from "../../hal/display";
import { LANGUAGES, PROMPT_CATALOG, type Language, type Prompt } from "./prompts";

// The cardholder's language (EMV 4.4 Book 4, 11.1): the first language of the card's Language
// Preference '5F2D' (ISO 639-1, two lowercase letters each) that the terminal supports, else the
// terminal's default. Here "supports" means the reader has the messages in that language AND its
// display can draw every character of them (hal/display.ts declares the character sets).

/** The character set each language's messages need. */
export const LANGUAGE_CHARACTER_SET: Readonly<Record<Language, CharacterSet>> = {
  en: "ascii",
  fr: "latin-1",
  de: "latin-1",
  es: "latin-1",
  zh: "gb2312",
};

/** Whether fonts of `available` draw `needed`: every font draws ASCII (Latin-1 and GB 2312 include it). */
function covers(available: readonly CharacterSet[], needed: CharacterSet): boolean {
  return needed === "ascii" || available.indexOf(needed) >= 0;
}

/**
 * Whether one character can be drawn with the character set: ASCII U+0020-U+007E; Latin-1 adds
 * U+00A0-U+00FF; GB 2312 is approximated by the CJK unified ideographs it draws from (U+4E00-U+9FA5),
 * CJK punctuation (U+3000-U+303F), full-width forms (U+FF00-U+FFEF), and ASCII.
 */
export function inCharacterSet(codePoint: number, set: CharacterSet): boolean {
  if (codePoint >= 0x20 && codePoint <= 0x7e) return true;
  if (set === "latin-1") return codePoint >= 0xa0 && codePoint <= 0xff;
  if (set === "gb2312") {
    return (codePoint >= 0x4e00 && codePoint <= 0x9fa5) || (codePoint >= 0x3000 && codePoint <= 0x303f) || (codePoint >= 0xff00 && codePoint <= 0xffef);
  }
  return false;
}

/** True when every character of `text` can be drawn in `set`. */
export function drawable(text: string, set: CharacterSet): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) as number;
    if (c > 0xffff) i++;
    if (!inCharacterSet(c, set)) return false;
  }
  return true;
}

/** The languages a display with these character sets can show, English (the default) first. */
export function displayableLanguages(characterSets: readonly CharacterSet[]): Language[] {
  return LANGUAGES.filter((l) => covers(characterSets, LANGUAGE_CHARACTER_SET[l]));
}

export function isLanguage(code: string): code is Language {
  return LANGUAGES.indexOf(code as Language) >= 0;
}

/**
 * Book 4, 11.1: the first of the card's preferred languages the reader can show, else `fallback`.
 * `preference` is the card's '5F2D' decoded (or the kernel's choice), untrusted.
 */
export function chooseLanguage(preference: readonly string[], available: readonly Language[], fallback: Language): Language {
  for (const code of preference) {
    const lower = typeof code === "string" ? code.toLowerCase() : "";
    if (isLanguage(lower) && available.indexOf(lower) >= 0) return lower;
  }
  return fallback;
}

/** Language Preference '5F2D' (an2 each, 2 to 8 bytes) as a list of codes; malformed pairs are skipped. */
export function parseLanguagePreference(value: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < value.length && out.length < 4; i += 2) {
    const a = value[i];
    const b = value[i + 1];
    const letter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
    if (letter(a) && letter(b)) out.push(String.fromCharCode(a, b).toLowerCase());
  }
  return out;
}

/** Every prompt of the catalog is drawable in its language's character set (checked by the tests and the self-test). */
export function catalogDrawable(): { prompt: Prompt; language: Language }[] {
  const bad: { prompt: Prompt; language: Language }[] = [];
  for (const prompt of Object.keys(PROMPT_CATALOG) as Prompt[]) {
    for (const language of LANGUAGES) {
      if (!drawable(PROMPT_CATALOG[prompt].text[language], LANGUAGE_CHARACTER_SET[language])) bad.push({ prompt, language });
    }
  }
  return bad;
}
