import type { CharacterSet, Display } from "../display";
import type { HostLink } from "./host-link";
import { BridgeWireError } from "./wire";

// The display (hal/display.ts) of the firmware on the XS engine: the simulator's virtual panel,
// described once (its size and fonts), then shown whole screens synchronously. A panel that dims
// (firmware/app/reader-firmware.ts, between payments) says so in its description.

export const DISPLAY = "display";

const CHARACTER_SETS: readonly CharacterSet[] = ["ascii", "latin-1", "gb2312"];

export interface DisplayDescription {
  lines: number;
  columns: number;
  characterSets: CharacterSet[];
  dims: boolean;
}

function checked(value: unknown): DisplayDescription {
  if (value === null || typeof value !== "object") throw new BridgeWireError("display: the description is not an object");
  const d = value as Record<string, unknown>;
  const size = (v: unknown, max: number): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) throw new BridgeWireError("display: the panel's size is out of range");
    return v;
  };
  if (!Array.isArray(d.characterSets) || d.characterSets.some((c) => CHARACTER_SETS.indexOf(c as CharacterSet) < 0)) {
    throw new BridgeWireError("display: unknown character set");
  }
  return { lines: size(d.lines, 32), columns: size(d.columns, 256), characterSets: d.characterSets as CharacterSet[], dims: d.dims === true };
}

export class BridgeDisplay implements Display {
  readonly lines: number;
  readonly columns: number;
  readonly characterSets: readonly CharacterSet[];
  /** Present when the host's panel dims. */
  readonly dim?: (dimmed: boolean) => void;

  constructor(private readonly link: HostLink) {
    const d = checked(link.callSync(DISPLAY, "describe"));
    this.lines = d.lines;
    this.columns = d.columns;
    this.characterSets = d.characterSets;
    if (d.dims) this.dim = (dimmed) => { link.callSync(DISPLAY, "dim", [dimmed]); };
  }

  show(lines: readonly string[]): void {
    this.link.callSync(DISPLAY, "show", [lines.slice(0, this.lines)]);
  }
}
