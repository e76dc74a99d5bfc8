/**
 * The reader's display: a small monochrome panel of a few text lines, seen by the cardholder (and
 * the merchant on an attended reader). The kernel sends whole screens of text; the driver renders
 * them with its fonts. A display declares the character sets its fonts cover, so the kernel shows
 * a language only where every character of its messages can be drawn (EMV Book 4, 11.1: the
 * terminal uses the cardholder's language "if it supports" it).
 *
 * ESP32 driver (hal/esp32/): an SPI panel through Moddable's Poco renderer and its bitmap fonts
 * (Latin-1; a GB 2312 font for Chinese where the flash allows it), one options object
 * `{ spi, dc, cs, width, height, fonts }`.
 */

/**
 * Character sets a font may cover:
 * - "ascii": ISO/IEC 646 IRV, U+0020 to U+007E;
 * - "latin-1": ISO/IEC 8859-1 (EMV Book 4, 11.1 names the ISO 8859 parts as the terminal's code
 *   tables; part 1 covers French, German and Spanish);
 * - "gb2312": the GB 2312 simplified Chinese set (its hanzi and full-width punctuation).
 */
export type CharacterSet = "ascii" | "latin-1" | "gb2312";

export interface Display {
  /** Text lines the panel holds. */
  readonly lines: number;
  /** Characters per line (a GB 2312 character counts as two). */
  readonly columns: number;
  readonly characterSets: readonly CharacterSet[];
  /**
   * Replaces the whole screen with `lines` (at most `lines` entries, each at most `columns` wide;
   * the driver clips what does not fit). An empty list clears the screen.
   */
  show(lines: readonly string[]): void;
}
