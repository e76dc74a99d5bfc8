import { encodeNetstring, NetstringReader } from "../../host-sim/xs-engine/netstring";
import { XsnapWorker } from "../../host-sim/xs-engine/xsnap-worker";
import { startXs } from "../support/xs";
import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";

describe("netstrings (the framing of xsnap-worker's pipes)", () => {
  it("round-trips and reassembles messages split across chunks", () => {
    const a = encodeNetstring(new TextEncoder().encode("hello"));
    const b = encodeNetstring(new Uint8Array([0, 1, 2, 0x2c]));
    const all = new Uint8Array([...a, ...b]);
    const reader = new NetstringReader();
    const got = [...reader.push(all.subarray(0, 4)), ...reader.push(all.subarray(4, 9)), ...reader.push(all.subarray(9))];
    expect(got.map((m) => Array.from(m))).toEqual([Array.from(new TextEncoder().encode("hello")), [0, 1, 2, 0x2c]]);
  });

  it("refuses a corrupt stream instead of waiting forever", () => {
    expect(() => new NetstringReader().push(new TextEncoder().encode("12x:abc"))).toThrow(/bad length/);
    expect(() => new NetstringReader().push(new TextEncoder().encode("3:abc;"))).toThrow(/comma/);
    expect(() => new NetstringReader(10).push(new TextEncoder().encode("11:"))).toThrow(/too long/);
  });
});

describe("xsnap-worker driver", () => {
  it("evaluates a script and reports the meter on every reply", async () => {
    const worker = new XsnapWorker();
    try {
      const r1 = await worker.evaluate("globalThis.x = 1; for (let i = 0; i < 1000; i++) x += i;");
      const r2 = await worker.evaluate("globalThis.x = 1; for (let i = 0; i < 100000; i++) x += i;");
      for (const r of [r1, r2]) {
        expect(r.meter.compute).toBeGreaterThan(0);
        expect(r.meter.allocate).toBeGreaterThan(0);
        expect(r.meter.currentHeapCount).toBeGreaterThan(0);
      }
      // The compute meter is deterministic work: a 100x longer loop costs more.
      expect(r2.meter.compute).toBeGreaterThan(r1.meter.compute * 10);
    } finally {
      await worker.close();
    }
  });

  it("returns an ArrayBuffer result and reports exceptions as errors", async () => {
    const worker = new XsnapWorker();
    try {
      const r = await worker.evaluate("new Uint8Array([1, 2, 3]).buffer");
      expect(Array.from(r.result)).toEqual([1, 2, 3]);
      await expect(worker.evaluate("throw new TypeError('boom')")).rejects.toThrow(/boom/);
      // The engine survives an exception.
      const again = await worker.evaluate("new Uint8Array([9]).buffer");
      expect(Array.from(again.result)).toEqual([9]);
    } finally {
      await worker.close();
    }
  });

  it("answers synchronous host calls from XS in the middle of a script", async () => {
    const calls: string[] = [];
    const worker = new XsnapWorker({
      onHostCall: (request) => {
        const text = new TextDecoder().decode(request);
        calls.push(text);
        return new TextEncoder().encode(text.toUpperCase());
      },
    });
    try {
      const r = await worker.evaluate(`
        const ask = (s) => new TextDecoder().decode(new Uint8Array(issueCommand(new TextEncoder().encode(s).buffer)));
        const answer = ask("ping") + "," + ask("pong");
        new TextEncoder().encode(answer).buffer;
      `);
      expect(new TextDecoder().decode(r.result)).toBe("PING,PONG");
      expect(calls).toEqual(["ping", "pong"]);
    } finally {
      await worker.close();
    }
  });

  it("has no setTimeout (timers come from the HAL clock) but runs promise jobs within a crank", async () => {
    const worker = new XsnapWorker();
    try {
      const r = await worker.evaluate(`
        const out = {};
        Promise.resolve(7).then((v) => { out.result = new Uint8Array([v, typeof setTimeout === "undefined" ? 1 : 0]).buffer; });
        out;
      `);
      expect(Array.from(r.result)).toEqual([7, 1]);
    } finally {
      await worker.close();
    }
  });
});

describe("kernel services on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  it("runs the bundled kernel services on the XS engine, not on Node", async () => {
    expect((await xs.call("engine.name")).value).toBe("xs");
    const echo = await xs.call("engine.echo", { a: [1, "B"] });
    expect(echo.value).toEqual({ a: [1, "B"] });
    expect(echo.meter!.compute).toBeGreaterThan(0);
  });

  it("reports an unknown service as a typed error", async () => {
    await expect(xs.call("no.such.service")).rejects.toMatchObject({ code: "no-service" });
  });
});
