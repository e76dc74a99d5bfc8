import type { CharacterSet, Display } from "../../hal/display";

// The simulator's display: keeps the screen as text and every screen shown, in order, for tests,
// the scenario report and the web page. Lines longer than the panel are clipped as a driver would.

export interface VirtualDisplayOptions {
  lines?: number;
  columns?: number;
  /** Default: Latin-1 and GB 2312 (a reader with the Chinese font). */
  characterSets?: CharacterSet[];
}

export class VirtualDisplay implements Display {
  readonly lines: number;
  readonly columns: number;
  readonly characterSets: readonly CharacterSet[];
  /** Every screen, oldest first. */
  readonly history: string[][] = [];
  private screen: string[] = [];

  constructor(options: VirtualDisplayOptions = {}) {
    this.lines = options.lines ?? 4;
    this.columns = options.columns ?? 20;
    this.characterSets = options.characterSets ?? ["latin-1", "gb2312"];
  }

  show(lines: readonly string[]): void {
    this.screen = lines.slice(0, this.lines).map((l) => l.slice(0, this.columns));
    this.history.push(this.screen.slice());
  }

  /** The lines on the screen now. */
  current(): string[] {
    return this.screen.slice();
  }
}
