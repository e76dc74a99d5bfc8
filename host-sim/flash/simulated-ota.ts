import { sha256 } from "@noble/hashes/sha2.js";
import type { Ota, OtaSlot, OtaSlotState } from "../../hal/ota";
import { constantTimeEqual } from "../../kernel/bytes";
import { decodeImageHeader, HEADER_LENGTH } from "../../kernel/firmware-update/image-header";
import { formatVersion } from "../../kernel/firmware-update/version";
import { NorFlash } from "./nor-flash";
import { PowerRail } from "./power-rail";

// The simulator's OTA flash (hal/ota.ts): two slots of NOR flash, the boot selection (otadata), the
// anti-rollback counter and the progress record, with a bootloader that follows ESP-IDF's rollback
// rules. Everything here is "persistent" and survives a power cut, except `runningSlot`, which
// only the bootloader sets.

export interface SimulatedOtaOptions {
  /** Bytes per slot (a whole number of sectors). */
  slotBytes: number;
  /** Erase unit (4096 on the ESP32's flash; tests use smaller sectors to keep images small). */
  sectorBytes?: number;
  power?: PowerRail;
  /** The image in slot 0 when the reader leaves the factory, with its signed header (or null). */
  factory?: { image: Uint8Array; descriptor: Uint8Array | null };
  /** The anti-rollback counter as provisioned at the factory (default 0). */
  rollbackCounter?: number;
}

/** What the bootloader did. */
export interface BootRecord {
  /** The slot booted, or null when neither slot holds a bootable image (the reader would be bricked). */
  slot: OtaSlot | null;
  /** Slots the bootloader gave up on this boot (a trial that never confirmed, an image that fails its hash). */
  abandoned: OtaSlot[];
}

/**
 * The version in the signed header stored with `slot`'s image, or null (none, or not decodable):
 * what the simulator's build says it runs after a restart (mc/config's version on the device).
 */
export async function slotVersion(ota: Ota, slot: OtaSlot): Promise<string | null> {
  const d = await ota.descriptor(slot);
  if (d === null) return null;
  try {
    return formatVersion(decodeImageHeader(d.subarray(0, HEADER_LENGTH)).version);
  } catch {
    return null;
  }
}

function other(slot: OtaSlot): OtaSlot {
  return slot === 0 ? 1 : 0;
}

export class SimulatedOta implements Ota {
  readonly slotBytes: number;
  readonly sectorBytes: number;
  readonly power: PowerRail;
  readonly slots: [NorFlash, NorFlash];
  /** otadata: the slot activated last, and each slot's state and stored signed header. */
  private selected: OtaSlot = 0;
  private readonly states: [OtaSlotState, OtaSlotState] = ["empty", "empty"];
  private readonly descriptors: [Uint8Array | null, Uint8Array | null] = [null, null];
  private counter = 0;
  private progress: Uint8Array | null = null;
  private runningSlot: OtaSlot = 0;
  private restartRequested = false;

  constructor(options: SimulatedOtaOptions) {
    this.slotBytes = options.slotBytes;
    this.sectorBytes = options.sectorBytes ?? 4096;
    this.power = options.power ?? new PowerRail();
    this.slots = [
      new NorFlash(this.slotBytes, this.sectorBytes, this.power),
      new NorFlash(this.slotBytes, this.sectorBytes, this.power),
    ];
    if (options.factory !== undefined) {
      const { image, descriptor } = options.factory;
      if (image.length > this.slotBytes) throw new Error("simulated ota: the factory image does not fit");
      this.slots[0].bytes.set(image, 0);
      this.descriptors[0] = descriptor === null ? null : descriptor.slice();
      this.states[0] = "valid";
    }
    this.counter = options.rollbackCounter ?? 0;
  }

  /** True once the firmware asked for a restart (after an install or a rollback). */
  get restartPending(): boolean {
    return this.restartRequested;
  }

  // --- the bootloader (ESP-IDF bootloader_support with CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE) ---

  /**
   * Chooses the slot to run: the one activated last if it is bootable, else the other. A "new" slot
   * is booted once on trial ("pending-verify"); a slot found still "pending-verify" never confirmed
   * and is abandoned ("invalid"); an image whose bytes fail the SHA-256 of its header is never booted
   * (ESP-IDF's esp_image_verify of the appended hash).
   */
  boot(): BootRecord {
    this.restartRequested = false;
    const abandoned: OtaSlot[] = [];
    for (const slot of [this.selected, other(this.selected)]) {
      const state = this.states[slot];
      if (state === "pending-verify") {
        this.atomic("otadata (abandon trial)", () => { this.states[slot] = "invalid"; });
        abandoned.push(slot);
        continue;
      }
      if (state !== "new" && state !== "valid") continue;
      if (!this.imageIntact(slot)) {
        this.atomic("otadata (refuse image)", () => { this.states[slot] = "invalid"; });
        abandoned.push(slot);
        continue;
      }
      if (state === "new") this.atomic("otadata (trial boot)", () => { this.states[slot] = "pending-verify"; });
      this.runningSlot = slot;
      return { slot, abandoned };
    }
    return { slot: null, abandoned };
  }

  private imageIntact(slot: OtaSlot): boolean {
    const d = this.descriptors[slot];
    if (d === null) return true; // a factory image without a header: nothing to check it against
    try {
      const header = decodeImageHeader(d.subarray(0, HEADER_LENGTH));
      if (header.imageLength > this.slotBytes) return false;
      return constantTimeEqual(sha256(this.slots[slot].bytes.subarray(0, header.imageLength)), header.imageHash);
    } catch {
      return false;
    }
  }

  /** An atomic persistent update: interrupted, it is not applied. */
  private atomic(what: string, apply: () => void): void {
    if (this.power.begin(what)) this.power.cut(what);
    apply();
  }

  private inactive(): OtaSlot {
    return other(this.runningSlot);
  }

  // --- hal/ota.ts ---

  running(): OtaSlot {
    return this.runningSlot;
  }

  async state(slot: OtaSlot): Promise<OtaSlotState> {
    return this.states[slot];
  }

  async descriptor(slot: OtaSlot): Promise<Uint8Array | null> {
    const d = this.descriptors[slot];
    return d === null ? null : d.slice();
  }

  async invalidateInactive(): Promise<void> {
    const slot = this.inactive();
    this.atomic("otadata (invalidate)", () => {
      this.states[slot] = "empty";
      this.descriptors[slot] = null;
      // The selection never points at a slot being written.
      if (this.selected === slot) this.selected = this.runningSlot;
    });
  }

  async eraseSector(offset: number): Promise<void> {
    this.slots[this.inactive()].erase(offset);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    this.slots[this.inactive()].program(offset, data);
  }

  async read(slot: OtaSlot, offset: number, length: number): Promise<Uint8Array> {
    if (!this.power.powered) throw new Error("simulated ota: read while the reader is off");
    return this.slots[slot].read(offset, length);
  }

  async activate(descriptor: Uint8Array): Promise<void> {
    const slot = this.inactive();
    this.atomic("otadata (activate)", () => {
      this.descriptors[slot] = descriptor.slice();
      this.states[slot] = "new";
      this.selected = slot;
    });
  }

  async markValid(): Promise<void> {
    const slot = this.runningSlot;
    this.atomic("otadata (mark valid)", () => { this.states[slot] = "valid"; });
  }

  async rollback(): Promise<void> {
    const slot = this.runningSlot;
    this.atomic("otadata (mark invalid)", () => {
      this.states[slot] = "invalid";
      this.selected = other(slot);
    });
    this.restartRequested = true;
  }

  async restart(): Promise<void> {
    this.restartRequested = true;
  }

  async rollbackCounter(): Promise<number> {
    return this.counter;
  }

  async raiseRollbackCounter(value: number): Promise<void> {
    if (!Number.isSafeInteger(value) || value <= this.counter) return;
    this.atomic("anti-rollback counter", () => { this.counter = value; });
  }

  async loadProgress(): Promise<Uint8Array | null> {
    return this.progress === null ? null : this.progress.slice();
  }

  async saveProgress(record: Uint8Array | null): Promise<void> {
    this.atomic("progress record", () => { this.progress = record === null ? null : record.slice(); });
  }

  /** For tests: the persistent state at a glance. */
  snapshot(): { selected: OtaSlot; running: OtaSlot; states: [OtaSlotState, OtaSlotState]; counter: number; progress: boolean } {
    return {
      selected: this.selected,
      running: this.runningSlot,
      states: [this.states[0], this.states[1]],
      counter: this.counter,
      progress: this.progress !== null,
    };
  }
}
