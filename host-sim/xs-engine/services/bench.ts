import { runBenchOperation } from "../../bench/operations";

export const benchServices: Record<string, (args: any) => unknown> = {
  "bench.run": (args: { op: string; hex: string; iterations: number }) => runBenchOperation(args),
};
