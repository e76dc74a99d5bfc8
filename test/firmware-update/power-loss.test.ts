import { FirmwareUpdateError, PREAMBLE_LENGTH, transferFirmware, type TransferResult } from "../../kernel/firmware-update";
import type { SimulatedUpdateReader } from "../../host-sim/flash/update-reader";
import { newReader, signed } from "./fixtures";

// Issue 13, "done when": a power loss and a disconnect at every stage resume or roll back cleanly,
// and the reader never bricks. The sweeps count the persistent operations (erase, program, record
// and selection updates, boot-time state changes) and the requests of a clean update, then repeat
// the update once per operation with the power cut there, and once per request with the link
// dropped there.

const IMAGE_BYTES = 5000; // 5 sectors of 1 KB: every kind of step, a short sweep
const CHUNK = 232; // image bytes per chunk at ATT_MTU 247

function connectOf(reader: SimulatedUpdateReader, dropFirstAfter?: number) {
  let first = true;
  return async () => {
    // The merchant switches a reader that lost power back on.
    if (!reader.running) await reader.powerOn();
    const link = reader.connect(first && dropFirstAfter !== undefined ? { dropAfterRequests: dropFirstAfter } : {});
    first = false;
    return link;
  };
}

async function statusOf(reader: SimulatedUpdateReader) {
  const r = await reader.updateService.status();
  if (r.kind !== "status") throw new Error("no status");
  return r.status;
}

/** Operations and requests of one clean update, from a fresh reader. */
async function cleanRun(): Promise<{ operations: number; result: TransferResult }> {
  const reader = await newReader();
  const start = reader.ota.power.operations;
  const result = await transferFirmware(signed("1.1.0", IMAGE_BYTES), { connect: connectOf(reader), chunkBytes: CHUNK, window: 4 });
  return { operations: reader.ota.power.operations - start, result };
}

describe("power loss at every stage of an update", () => {
  it("resumes or rolls back cleanly at every persistent operation, and the reader always boots an intact image", async () => {
    const { operations } = await cleanRun();
    expect(operations).toBeGreaterThan(15);
    const outcomes = new Map<string, number>();
    for (let cut = 0; cut < operations; cut++) {
      const reader = await newReader();
      reader.ota.power.armCut(cut);
      const image = signed("1.1.0", IMAGE_BYTES);
      let outcome: string;
      try {
        const r = await transferFirmware(image, { connect: connectOf(reader), chunkBytes: CHUNK, window: 4, maxReconnects: 3 });
        outcome = r.resumes > 0 ? "resumed" : "applied";
      } catch (e) {
        // A cut while the new image is on trial, before it confirmed itself: the bootloader falls back.
        expect(e).toBeInstanceOf(FirmwareUpdateError);
        expect((e as FirmwareUpdateError).code).toBe("fw-boot");
        const s = await statusOf(reader);
        expect({ cut, version: s.version, state: s.state }).toEqual({ cut, version: "1.0.0", state: "valid" });
        expect(reader.ota.snapshot().counter).toBe(0x1_0000_0000);
        // ... and the merchant's retry installs it.
        await transferFirmware(image, { connect: connectOf(reader), chunkBytes: CHUNK });
        outcome = "rolled back, then applied";
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      // Never bricked: every boot of the sweep found an intact image to run.
      expect(reader.boots.every((b) => b.boot.slot !== null)).toBe(true);
      const s = await statusOf(reader);
      expect({ cut, version: s.version, state: s.state }).toEqual({ cut, version: "1.1.0", state: "valid" });
      expect({ cut, ...reader.ota.snapshot() }).toMatchObject({ cut, states: ["valid", "valid"], counter: 0x1_0001_0000, progress: false });
    }
    expect(outcomes.get("resumed")).toBeGreaterThan(0);
    expect(outcomes.get("rolled back, then applied")).toBeGreaterThan(0);
  });

  it("a power cut mid-transfer resumes from the last durable sector, not from the start", async () => {
    const reader = await newReader();
    // Operations after power-on: invalidate, record, then per sector erase, program, record.
    reader.ota.power.armCut(2 + 3 * 3 + 1); // the program of the fourth sector
    const offsets: number[] = [];
    const r = await transferFirmware(signed("1.1.0", IMAGE_BYTES), {
      connect: connectOf(reader), chunkBytes: CHUNK, window: 1,
      onProgress: (p) => { if (p.phase === "sending") offsets.push(p.confirmed); },
    });
    expect(r.resumes).toBe(1);
    // After the reconnection the reader answered begin with 3072: three sectors were durable.
    const afterCut = offsets.findIndex((o, i) => i > 0 && o < offsets[i - 1]);
    expect(offsets[afterCut]).toBe(3 * 1024);
    expect(r.bytesSent).toBeLessThan(IMAGE_BYTES + 1024 + CHUNK);
  });

  it("a power cut during a sector erase or program never touches the running slot", async () => {
    const reader = await newReader();
    const running = await reader.ota.read(0, 0, 3000);
    for (const cut of [3, 4]) {
      reader.ota.power.armCut(cut);
      await expect(transferFirmware(signed("1.1.0", IMAGE_BYTES), { connect: connectOf(reader), chunkBytes: CHUNK, maxReconnects: 0 }))
        .rejects.toMatchObject({ code: "link-lost" });
      await reader.powerOn();
      expect(await reader.ota.read(0, 0, 3000)).toEqual(running);
      expect(reader.ota.snapshot()).toMatchObject({ running: 0, states: ["valid", "empty"] });
    }
  });
});

describe("a dropped connection at every stage of an update", () => {
  it("resumes from the offset the reader confirmed, whether the link drops before a request or before its reply", async () => {
    const { result: clean } = await cleanRun();
    // Requests of a clean update: status, begin, the chunks, finish, status after the restart.
    const requests = 2 + clean.chunks + 1 + 1;
    for (const mode of ["before the request", "before the reply"] as const) {
      for (let k = 0; k < requests; k++) {
        const reader = await newReader();
        let first = true;
        const connect = async () => {
          const options = !first ? {} : mode === "before the request" ? { dropAfterRequests: k } : { loseReplyOf: k + 1 };
          first = false;
          return reader.connect(options);
        };
        const r = await transferFirmware(signed("1.1.0", IMAGE_BYTES), { connect, chunkBytes: CHUNK, window: 4 });
        expect({ mode, k, version: r.version }).toEqual({ mode, k, version: "1.1.0" });
        const s = await statusOf(reader);
        expect({ mode, k, version: s.version, state: s.state }).toEqual({ mode, k, version: "1.1.0", state: "valid" });
        // Only the chunks in flight at the drop go twice: the reader kept the offset in memory.
        expect(r.bytesSent).toBeLessThanOrEqual(IMAGE_BYTES + 4 * CHUNK);
        expect(reader.lock.current).toBeNull();
      }
    }
  });

  it("a reader that restarts before its install reply reaches the phone is found running the new image", async () => {
    const reader = await newReader();
    const image = signed("1.1.0", IMAGE_BYTES);
    const chunks = Math.ceil(IMAGE_BYTES / CHUNK);
    // The finish request reaches the reader, which installs and restarts; its reply is lost.
    const service = reader.updateService;
    let first = true;
    const connect = async () => {
      const link = reader.connect(first ? { loseReplyOf: 2 + chunks + 1 } : {});
      first = false;
      return link;
    };
    const r = await transferFirmware(image, { connect, chunkBytes: CHUNK, window: 1 });
    expect(r.chunks).toBe(chunks); // nothing sent twice: the status after the reconnection shows the new image
    expect(r.resumes).toBe(1);
    expect(service).not.toBe(reader.updateService);
  });

  it("the link dropping again and again without progress ends in link-lost, and the reader stays usable", async () => {
    const reader = await newReader();
    await expect(transferFirmware(signed("1.1.0", IMAGE_BYTES), {
      connect: async () => reader.connect({ dropAfterRequests: 1 }), chunkBytes: CHUNK, maxReconnects: 3,
    })).rejects.toMatchObject({ code: "link-lost" });
    expect(reader.lock.current).toBeNull();
    await transferFirmware(signed("1.1.0", IMAGE_BYTES), { connect: connectOf(reader), chunkBytes: CHUNK });
    expect((await statusOf(reader)).version).toBe("1.1.0");
  });

  it("a begin with another image after a drop starts over, and the first image's partial bytes are never booted", async () => {
    const reader = await newReader();
    const first = signed("1.1.0", IMAGE_BYTES);
    const s = reader.updateService;
    await s.begin(first.subarray(0, PREAMBLE_LENGTH));
    await s.chunk(0, first.subarray(PREAMBLE_LENGTH, PREAMBLE_LENGTH + 400));
    await s.disconnected();
    const second = signed("1.2.0", 2000);
    expect(await s.begin(second.subarray(0, PREAMBLE_LENGTH))).toEqual({ kind: "ready", offset: 0, total: 2000 });
    await reader.powerOn(); // and even a restart now boots the old image
    expect(reader.ota.snapshot()).toMatchObject({ running: 0, states: ["valid", "empty"] });
  });
});
