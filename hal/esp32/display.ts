import Poco, { type PocoPrototype } from "commodetto/Poco";
import type PixelsOut from "commodetto/PixelsOut";
import type { default as parseBMF } from "commodetto/parseBMF";
import type { CharacterSet, Display } from "../display";

// The display (hal/display.ts): whole screens of text through Moddable's Poco renderer on the
// board's SPI panel (a commodetto PixelsOut, e.g. the ILI9341 or ST7789 driver the manifest's
// `config.screen` names) with a bitmap font (BMF). Lines are clipped to the panel's width.

/** A bitmap font as commodetto/parseBMF makes it. */
type Font = ReturnType<typeof parseBMF>;

export interface PocoDisplayOptions {
  screen: PixelsOut;
  font: Font;
  /** Character sets the font covers. */
  characterSets: readonly CharacterSet[];
}

export class PocoDisplay implements Display {
  readonly lines: number;
  readonly columns: number;
  readonly characterSets: readonly CharacterSet[];
  private readonly poco: PocoPrototype;
  private readonly font: Font;
  private readonly background: number;
  private readonly foreground: number;

  constructor(options: PocoDisplayOptions) {
    this.poco = new Poco(options.screen);
    this.font = options.font;
    this.characterSets = options.characterSets.slice();
    this.lines = Math.max(1, Math.floor(this.poco.height / options.font.height));
    // A monospaced bitmap font: the width of "M" is the column width.
    this.columns = Math.max(1, Math.floor(this.poco.width / Math.max(1, this.poco.getTextWidth("M", options.font))));
    this.background = this.poco.makeColor(255, 255, 255);
    this.foreground = this.poco.makeColor(0, 0, 0);
  }

  show(lines: readonly string[]): void {
    const poco = this.poco;
    poco.begin();
    poco.fillRectangle(this.background, 0, 0, poco.width, poco.height);
    const count = Math.min(lines.length, this.lines);
    for (let i = 0; i < count; i++) {
      const text = lines[i].length > this.columns ? lines[i].slice(0, this.columns) : lines[i];
      const x = Math.max(0, (poco.width - poco.getTextWidth(text, this.font)) >> 1);
      poco.drawText(text, this.font, this.foreground, x, i * this.font.height, poco.width);
    }
    poco.end();
  }
}
