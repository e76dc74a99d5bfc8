// Issue 12's services, the same on Node and on the XS engine: the fuzz targets ("fuzz.run") and the
// soak ("soak.*") run inside the engine, so the host can compare the engine's live heap from batch
// to batch. Each
// service ends with a full garbage collection where the engine has one (xsnap's `gc`), so the meter's
// currentHeapCount of the reply is the live heap, not the garbage of the batch.
import { InputError } from "../../../kernel/errors";
import { fuzzInEngine } from "../../fuzz/targets/in-engine";
import { soakBatch, soakStart, soakStop } from "../../soak/soak-session";

declare const globalThis: { gc?: () => void };

/** A full collection where the engine offers one (XS: xsnap's gc; Node: none without --expose-gc). */
export function collectGarbage(): void {
  if (typeof globalThis.gc === "function") globalThis.gc();
}

function count(v: unknown, field: string, max: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > max) throw new InputError("stress-request", `${field} must be an integer 0 to ${max}`);
  return v;
}

export const stressServices: Record<string, (args: any) => unknown> = {
  /**
   * `{ target, iterations, seed, skip? }`: that many inputs of the seeded sequence, after `skip`.
   */
  "fuzz.run": async (args: { target?: unknown; iterations?: unknown; seed?: unknown; skip?: unknown }) => {
    if (args === null || typeof args !== "object" || typeof args.target !== "string") throw new InputError("stress-request", "fuzz.run: expected { target, iterations, seed }");
    const report = await fuzzInEngine(args.target, count(args.iterations, "iterations", 1_000_000), count(args.seed, "seed", 0xffffffff),
      args.skip === undefined ? 0 : count(args.skip, "skip", 100_000_000));
    collectGarbage();
    return report;
  },
  /** `{ seed }`: a reader fresh from the factory for a soak (host-sim/soak). */
  "soak.start": async (args: { seed?: unknown }) => {
    const r = await soakStart(count(args?.seed ?? 1, "seed", 0xffffffff));
    collectGarbage();
    return r;
  },
  /** `{ count }`: the next transactions of the soak's mix on the same reader. */
  "soak.batch": async (args: { count?: unknown }) => {
    const r = await soakBatch(count(args?.count, "count", 100_000));
    collectGarbage();
    return r;
  },
  "soak.stop": () => {
    const r = soakStop();
    collectGarbage();
    return r;
  },
};
