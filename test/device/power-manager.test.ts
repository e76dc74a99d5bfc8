import type { Clock } from "../../hal/clock";
import type { PowerControl } from "../../hal/power";
import { LIPO_OCV_MV, lipoMillivolts, lipoPercent } from "../../firmware/app/lipo-charge";
import { checkPowerPolicy, DEFAULT_POWER_POLICY, PowerManager } from "../../firmware/app/power-manager";
import { InputError } from "../../kernel/errors";
import { SimulatedBattery } from "../../host-sim/hardware/battery";
import { VirtualDisplay } from "../../host-sim/hardware/display";

// Issue 10, item 2: the power policy between payments on a fake clock (dim, then sleep, woken by
// activity; payments refused on a low battery with the display saying so; power off on an empty
// cell), and the LiPo charge curve of Maxim application note 4189.

/** A clock that moves only when the test says; sleepers wake in deadline order. */
class FakeClock implements Clock {
  private now = 0;
  private sleepers: { at: number; resolve: () => void }[] = [];
  nowMs(): number {
    return this.now;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { this.sleepers.push({ at: this.now + ms, resolve }); });
  }
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (next === undefined || next.at > end) break;
      this.sleepers.shift();
      this.now = next.at;
      next.resolve();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.now = end;
  }
}

class DimmableDisplay extends VirtualDisplay {
  dimmed = false;
  dim(d: boolean): void {
    this.dimmed = d;
  }
}

class RecordingPower implements PowerControl {
  readonly calls: string[] = [];
  allowSleep(allowed: boolean): void {
    this.calls.push(allowed ? "sleep" : "wake");
  }
  powerOff(): void {
    this.calls.push("off");
  }
}

function rig(battery?: SimulatedBattery) {
  const clock = new FakeClock();
  const display = new DimmableDisplay();
  const power = new RecordingPower();
  const manager = new PowerManager({ clock, display, power, battery, policy: { dimAfterMs: 30_000, sleepAfterMs: 120_000 } });
  return { clock, display, power, manager };
}

describe("LiPo state of charge from the cell voltage (Maxim AN4189, OCV table)", () => {
  it("the table's points read as their percentages, 0 % to 100 % in steps of 10", () => {
    expect(LIPO_OCV_MV.map(lipoPercent)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it("between two points the charge is interpolated; outside the curve it is clamped", () => {
    expect(lipoPercent(3807)).toBe(45); // halfway from 3793 (40 %) to 3821 (50 %)
    expect(lipoPercent(3000)).toBe(0);
    expect(lipoPercent(4200)).toBe(100);
    expect(lipoPercent(Number.NaN)).toBe(0);
  });

  it("the simulator's cell voltage is the inverse of the curve", () => {
    for (const p of [0, 5, 37, 50, 99, 100]) expect(lipoPercent(lipoMillivolts(p))).toBe(p);
  });
});

describe("the power manager between payments", () => {
  it("idle: the display dims after dimAfterMs, the chip may sleep after sleepAfterMs", async () => {
    const r = rig();
    r.manager.run();
    await r.clock.advance(29_999);
    expect([r.manager.state, r.display.dimmed]).toEqual(["active", false]);
    await r.clock.advance(1);
    expect([r.manager.state, r.display.dimmed]).toEqual(["dimmed", true]);
    expect(r.power.calls).toEqual([]);
    await r.clock.advance(90_000);
    expect(r.manager.state).toBe("asleep");
    expect(r.power.calls).toEqual(["sleep"]);
    r.manager.stop();
  });

  it("activity wakes the chip and the display, and the idle time starts again", async () => {
    const r = rig();
    r.manager.run();
    await r.clock.advance(120_000);
    expect(r.manager.state).toBe("asleep");
    r.manager.activity();
    expect([r.manager.state, r.display.dimmed, r.power.calls]).toEqual(["active", false, ["sleep", "wake"]]);
    await r.clock.advance(29_000);
    expect(r.manager.state).toBe("active");
    await r.clock.advance(1_000);
    expect(r.manager.state).toBe("dimmed");
    r.manager.stop();
  });

  it("no dimming and no sleep while a payment runs, however long it takes", async () => {
    const r = rig();
    r.manager.run();
    r.manager.paymentStarted();
    await r.clock.advance(300_000);
    expect([r.manager.state, r.display.dimmed, r.power.calls]).toEqual(["active", false, []]);
    r.manager.paymentEnded();
    await r.clock.advance(30_000);
    expect(r.manager.state).toBe("dimmed");
    r.manager.stop();
  });

  it("a payment below the minimum charge is refused, and the display says why", () => {
    const battery = new SimulatedBattery({ percent: 8 });
    const r = rig(battery);
    expect(r.manager.admitPayment()).toEqual({ admitted: false, reason: "batteryLow", percent: 8 });
    expect(r.display.current()).toEqual(["BATTERY LOW", "CHARGE READER"]);
  });

  it("the same charge on the charger is admitted (external power carries the payment)", () => {
    const battery = new SimulatedBattery({ percent: 8, charging: true });
    const r = rig(battery);
    expect(r.manager.admitPayment()).toEqual({ admitted: true });
    battery.setCharging(false);
    battery.percent = DEFAULT_POWER_POLICY.minPaymentPercent;
    expect(r.manager.admitPayment()).toEqual({ admitted: true });
  });

  it("the status message's level: the charge and the charger's state; without a battery, powered", () => {
    const battery = new SimulatedBattery({ percent: 50, charging: true });
    expect(rig(battery).manager.level()).toEqual({ percent: 50, charging: true });
    battery.percent = 100;
    expect(rig(battery).manager.level()).toEqual({ percent: 100, charging: false });
    expect(rig().manager.level()).toEqual({ percent: 100, charging: true });
  });

  it("an empty cell powers the reader off at the next check, but never in the middle of a payment", async () => {
    const battery = new SimulatedBattery({ percent: 30 });
    const r = rig(battery);
    r.manager.run();
    r.manager.paymentStarted();
    battery.draw(1000, 3_600_000 * 0.29); // 290 mAh of 1000: 1 % left
    expect(r.manager.poll()).toBe("active");
    r.manager.paymentEnded();
    await r.clock.advance(30_000);
    expect(r.manager.state).toBe("off");
    expect(r.power.calls).toEqual(["off"]);
    expect(r.display.current()).toEqual(["BATTERY EMPTY"]);
    r.manager.stop();
  });

  it("a policy from configuration is checked: times in range, sleep not before dim, power-off below the payment minimum", () => {
    expect(checkPowerPolicy({ ...DEFAULT_POWER_POLICY })).toEqual(DEFAULT_POWER_POLICY);
    expect(() => checkPowerPolicy({ ...DEFAULT_POWER_POLICY, dimAfterMs: 10 })).toThrow(InputError);
    expect(() => checkPowerPolicy({ ...DEFAULT_POWER_POLICY, sleepAfterMs: 1000 })).toThrow(/sleepAfterMs/);
    expect(() => checkPowerPolicy({ ...DEFAULT_POWER_POLICY, powerOffPercent: 20 })).toThrow(/powerOffPercent/);
    expect(() => checkPowerPolicy({ ...DEFAULT_POWER_POLICY, minPaymentPercent: 101 })).toThrow(InputError);
  });
});
