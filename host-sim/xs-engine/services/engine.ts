// Services that describe the engine itself, so tests can prove which engine answered.

declare const globalThis: Record<string, unknown>;

export const engineServices: Record<string, (args: any) => unknown> = {
  "engine.echo": (args: unknown) => args,
  /** "xs" when the XS-only host functions are present (xsnap's issueCommand), else "node". */
  "engine.name": () => (typeof globalThis.issueCommand === "function" ? "xs" : "node"),
};
