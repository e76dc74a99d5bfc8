// Power-cut fault injection for the simulated flash. Every persistent operation (a sector erase, a
// program, an atomic record or selection update) first asks the rail; a test arms a cut at the Nth
// operation from now, and that operation is interrupted: a program or erase is left half done, an
// atomic update is not applied. From then on the reader is off: every operation fails until the
// test powers it on again (which restarts it: RAM state is gone, flash is what the cut left).

/** The simulated power failed. Not an MposError: it is the simulated world stopping, not a refusal. */
export class PowerCutError extends Error {
  constructor(what: string) {
    super(`power cut during ${what}`);
    this.name = "PowerCutError";
  }
}

export class PowerRail {
  /** Persistent operations since power-on. */
  operations = 0;
  private cutAt: number | null = null;
  private on = true;

  get powered(): boolean {
    return this.on;
  }

  /** The operation `n` operations from now (0: the very next) will be interrupted. */
  armCut(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new Error("power rail: n must be a non-negative integer");
    this.cutAt = this.operations + n;
  }

  disarm(): void {
    this.cutAt = null;
  }

  /** Restores power (the reader then boots again). */
  powerOn(): void {
    this.on = true;
    this.operations = 0;
    this.cutAt = null;
  }

  /**
   * Called at the start of a persistent operation. Throws when the reader is off; returns true when
   * this is the operation to interrupt (the caller applies its partial effect, then calls cut()).
   */
  begin(what: string): boolean {
    if (!this.on) throw new PowerCutError(what);
    const interrupted = this.cutAt !== null && this.operations === this.cutAt;
    this.operations++;
    return interrupted;
  }

  /** Ends the interrupted operation: the reader is off. */
  cut(what: string): never {
    this.on = false;
    this.cutAt = null;
    throw new PowerCutError(what);
  }
}
