import type { HostLink } from "./host-link";

// The firmware's debug console on the XS engine (the ESP32's `trace`): a synchronous host call, so a
// line reaches the host in order with the hardware requests around it (the engine's own print goes
// out on another pipe and may arrive after the crank that wrote it). Never a PAN, track, PIN or key:
// the firmware only logs what firmware/app/firmware-boot.ts says it may.

export const CONSOLE = "console";

/** Longest line the host takes; a longer one is cut, never refused (a log line must not fail the firmware). */
export const MAX_CONSOLE_LINE = 512;

export function bridgeConsole(link: HostLink): (line: string) => void {
  return (line) => { link.callSync(CONSOLE, "log", [line.length > MAX_CONSOLE_LINE ? line.slice(0, MAX_CONSOLE_LINE) : line]); };
}
