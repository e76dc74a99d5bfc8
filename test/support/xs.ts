import { startKernelEngine, type KernelEngine } from "../../host-sim/xs-engine/kernel-engine";

/** The kernel services running on the real XS engine (xsnap-worker). Close it in afterAll. */
export function startXs(): Promise<KernelEngine> {
  return startKernelEngine("xs");
}

/** The same services, in-process on Node. */
export function startNode(): Promise<KernelEngine> {
  return startKernelEngine("node");
}

/**
 * Runs `service` with `args` on Node and on XS and returns both values, for a test to assert they
 * are identical.
 */
export async function onBothEngines(
  xs: KernelEngine,
  service: string,
  args?: unknown,
): Promise<{ node: unknown; xs: unknown }> {
  const node = await (await startNode()).call(service, args);
  const onXs = await xs.call(service, args);
  return { node: node.value, xs: onXs.value };
}
