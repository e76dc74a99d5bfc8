import Flash from "flash";
import * as slots from "otaslots";
import Preference from "preference";
import type { Ota, OtaSlot, OtaSlotState } from "../ota";

// The firmware's flash (hal/ota.ts) on the ESP32: the slot bytes through Moddable's `flash` module
// on the partitions "ota_0" and "ota_1" (erase by sector, program, read), the boot selection and
// states through ESP-IDF's app rollback (native/otaslots.c), and the descriptors, the anti-rollback
// counter and the progress record in an NVS namespace of their own, which the tamper response does
// not erase (the keys are in another one). NVS writes one entry atomically.

/** The NVS namespace of the update records. */
const DOMAIN = "mpos-ota";
const STATES: readonly OtaSlotState[] = ["empty", "new", "pending-verify", "valid", "invalid"];

function stored(key: string): Uint8Array | null {
  const value = Preference.get(DOMAIN, key);
  return value instanceof ArrayBuffer ? new Uint8Array(value.slice(0)) : null;
}

function store(key: string, bytes: Uint8Array): void {
  Preference.set(DOMAIN, key, bytes.slice().buffer as ArrayBuffer);
}

export class Esp32Ota implements Ota {
  readonly slotBytes: number;
  readonly sectorBytes: number;
  private readonly partitions: [Flash, Flash];

  constructor() {
    this.partitions = [new Flash("ota_0"), new Flash("ota_1")];
    this.slotBytes = Math.min(this.partitions[0].byteLength, this.partitions[1].byteLength);
    this.sectorBytes = this.partitions[0].blockSize;
  }

  running(): OtaSlot {
    return slots.running();
  }

  private inactive(): OtaSlot {
    return this.running() === 0 ? 1 : 0;
  }

  async state(slot: OtaSlot): Promise<OtaSlotState> {
    return STATES[slots.state(slot)];
  }

  async descriptor(slot: OtaSlot): Promise<Uint8Array | null> {
    return stored(`desc${slot}`);
  }

  async invalidateInactive(): Promise<void> {
    const slot = this.inactive();
    Preference.delete(DOMAIN, `desc${slot}`);
    slots.invalidateInactive();
    // The image header lives in the first sector: erased, the bootloader finds nothing to boot there.
    this.partitions[slot].erase(0);
  }

  private check(offset: number, length: number): void {
    if (!Number.isInteger(offset) || offset < 0 || length < 0 || offset + length > this.slotBytes) throw new RangeError("ota: outside the slot");
  }

  async eraseSector(offset: number): Promise<void> {
    this.check(offset, this.sectorBytes);
    if (offset % this.sectorBytes !== 0) throw new RangeError("ota: not a sector boundary");
    this.partitions[this.inactive()].erase(offset / this.sectorBytes);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    this.check(offset, data.length);
    this.partitions[this.inactive()].write(offset, data.length, data);
  }

  async read(slot: OtaSlot, offset: number, length: number): Promise<Uint8Array> {
    this.check(offset, length);
    return new Uint8Array(this.partitions[slot].read(offset, length) as ArrayBuffer);
  }

  /** The descriptor first, then the selection: a cut between leaves the old selection, and the descriptor of a slot not selected. */
  async activate(descriptor: Uint8Array): Promise<void> {
    const slot = this.inactive();
    store(`desc${slot}`, descriptor);
    slots.setBoot(slot);
  }

  async markValid(): Promise<void> {
    slots.markValid();
  }

  async rollback(): Promise<void> {
    slots.rollback();
  }

  async restart(): Promise<void> {
    slots.restart();
  }

  async rollbackCounter(): Promise<number> {
    const b = stored("counter");
    return b === null || b.length !== 4 ? 0 : ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }

  async raiseRollbackCounter(value: number): Promise<void> {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError("ota: the counter is 0 to 2^32 - 1");
    if (value <= (await this.rollbackCounter())) return;
    store("counter", Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff));
  }

  async loadProgress(): Promise<Uint8Array | null> {
    return stored("progress");
  }

  async saveProgress(record: Uint8Array | null): Promise<void> {
    if (record === null) Preference.delete(DOMAIN, "progress");
    else store("progress", record);
  }
}
