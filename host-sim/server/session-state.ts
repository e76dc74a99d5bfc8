import type { ToneSpec } from "../../hal/indicators";
import type { CardInterface } from "../../kernel/protocol";
import type { EngineName } from "../xs-engine/kernel-engine";
import type { IssuerEntry } from "./issuer-desk";
import type { BleState } from "./page-radio";
import type { FirmwareMeter } from "../xs-bridge/xs-meter";

// What the simulator session tells its page (sim-session.ts): the state snapshot the page draws the
// reader and the wallet from, the events of the stream (/events), the log lines and the faults the
// page can cause. Plain JSON, and never card data but masked PANs.

export type FaultKind = "card-removal" | "power-loss" | "power-on" | "tamper" | "recommission" | "low-battery" | "charge" | "rf-collision";
export const FAULT_KINDS: readonly FaultKind[] = ["card-removal", "power-loss", "power-on", "tamper", "recommission", "low-battery", "charge", "rf-collision"];

export interface LogEntry {
  at: string;
  source: "reader" | "card" | "phone" | "issuer" | "fault" | "scenario";
  text: string;
}

export interface TransactionView {
  phase: "waiting-card" | "processing" | "done";
  amount: string;
  cardInterface?: CardInterface;
  result?: string;
  reason?: string;
  maskedPan?: string;
}

export interface SessionState {
  engine: EngineName;
  powered: boolean;
  booting: boolean;
  display: string[];
  lights: [boolean, boolean, boolean, boolean];
  flashFirst: boolean;
  battery: { percent: number; charging: boolean };
  ble: BleState & { url: string };
  tampered: boolean;
  inService: boolean;
  selfTest: { passed: number; failed: number } | null;
  keys: string;
  slot: string | null;
  field: string[];
  rfCollisionArmed: boolean;
  transaction: TransactionView | null;
  /** True while the firmware waits for a PIN on the keypad (keys pressed before are dropped, as on the device). */
  pinEntry: boolean;
  /** The XS meter of the last payment (null on Node). */
  meter: FirmwareMeter | null;
}

export type SessionEvent =
  | { type: "state"; state: SessionState }
  | { type: "log"; entry: LogEntry }
  | { type: "beep"; tone: ToneSpec }
  | { type: "issuer"; entry: IssuerEntry };

export interface SimSessionOptions {
  engine: EngineName;
  /** Where log lines go besides the page (the terminal of `mpos sim serve`). */
  log?: (line: string) => void;
  /** The GATT bridge's port (default 0: a free one). */
  blePort?: number;
}
