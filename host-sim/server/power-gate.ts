import { PowerLossError } from "../hardware/memory-storage";

// The reader's power rail as the firmware's hardware sees it: every boot gets its own view of each
// HAL object, valid while that boot is the one running. When the power goes (the page's "power
// loss" fault), the firmware of that boot finds every device dead - a call fails with a
// PowerLossError, as the bus to a powered-down peripheral would, and an answer still on its way
// is never delivered - while the hardware itself (the storage and its keys, a card still in the
// slot) stays for the next boot.

export class PowerRail {
  private boot = 0;
  private on = false;

  get powered(): boolean {
    return this.on;
  }

  /** Powers up: a new boot, whose devices work until the next powerOff. */
  powerOn(): number {
    this.on = true;
    return ++this.boot;
  }

  powerOff(): void {
    this.on = false;
    this.boot++;
  }

  alive(boot: number): boolean {
    return this.on && boot === this.boot;
  }

  /** `device` as boot `boot` sees it: its methods fail once that boot is over. */
  gate<T extends object>(device: T, boot: number, what: string): T {
    const rail = this;
    return new Proxy(device, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof v !== "function") return v;
        return function gated(this: unknown, ...args: unknown[]) {
          if (!rail.alive(boot)) throw new PowerLossError(`${what}: the reader has no power`);
          const result = (v as (...a: unknown[]) => unknown).apply(target, args);
          if (!(result instanceof Promise)) return result;
          // What the device answers after the power went reaches no one: the code that waited for it
          // (a timer, a card's answer) stays stopped, as it does in a CPU without power.
          return new Promise((resolve, reject) => {
            result.then((r) => { if (rail.alive(boot)) resolve(r); }, (e) => { if (rail.alive(boot)) reject(e); });
          });
        };
      },
    });
  }
}
