import type { Ota, OtaSlot, OtaSlotState } from "../ota";
import type { HostLink } from "./host-link";
import { BridgeWireError } from "./wire";

// The OTA flash (hal/ota.ts) of the firmware on the XS engine: the simulator's two slots, boot
// selection, anti-rollback counter and progress record (host-sim/flash/simulated-ota.ts), served
// by the host. The flash's geometry and the slot the bootloader chose are facts of this boot, read
// once; everything else is asked each time, and every answer is checked before the kernel's update
// service (kernel/firmware-update) sees it: a stored byte is untrusted, a wrong type is the host's bug.

export const OTA = "ota";

const STATES: readonly OtaSlotState[] = ["empty", "new", "pending-verify", "valid", "invalid"];
/** ESP32 app partitions are at most 16 MB (ESP-IDF partition tables); a sector is at most 64 KB. */
const MAX_SLOT_BYTES = 16 * 1024 * 1024;
const MAX_SECTOR_BYTES = 64 * 1024;

export interface OtaDescription {
  slotBytes: number;
  sectorBytes: number;
  running: OtaSlot;
}

function checked(value: unknown): OtaDescription {
  if (value === null || typeof value !== "object") throw new BridgeWireError("ota: the description is not an object");
  const d = value as Record<string, unknown>;
  const size = (v: unknown, max: number): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) throw new BridgeWireError("ota: the flash's geometry is out of range");
    return v;
  };
  const sectorBytes = size(d.sectorBytes, MAX_SECTOR_BYTES);
  const slotBytes = size(d.slotBytes, MAX_SLOT_BYTES);
  if (slotBytes % sectorBytes !== 0) throw new BridgeWireError("ota: a slot is a whole number of sectors");
  if (d.running !== 0 && d.running !== 1) throw new BridgeWireError("ota: the running slot is 0 or 1");
  return { slotBytes, sectorBytes, running: d.running };
}

function bytesOrNull(value: unknown, what: string): Uint8Array | null {
  if (value !== null && !(value instanceof Uint8Array)) throw new BridgeWireError(`ota: ${what} is bytes or null`);
  return value;
}

export class BridgeOta implements Ota {
  readonly slotBytes: number;
  readonly sectorBytes: number;
  private readonly runningSlot: OtaSlot;

  constructor(private readonly link: HostLink) {
    const d = checked(link.callSync(OTA, "describe"));
    this.slotBytes = d.slotBytes;
    this.sectorBytes = d.sectorBytes;
    this.runningSlot = d.running;
  }

  running(): OtaSlot {
    return this.runningSlot;
  }

  state(slot: OtaSlot): Promise<OtaSlotState> {
    return this.link.call(OTA, "state", [slot]).then((s) => {
      if (STATES.indexOf(s as OtaSlotState) < 0) throw new BridgeWireError("ota: unknown slot state");
      return s as OtaSlotState;
    });
  }

  descriptor(slot: OtaSlot): Promise<Uint8Array | null> {
    return this.link.call(OTA, "descriptor", [slot]).then((d) => bytesOrNull(d, "a descriptor"));
  }

  invalidateInactive(): Promise<void> {
    return this.link.act(OTA, "invalidateInactive");
  }

  eraseSector(offset: number): Promise<void> {
    return this.link.act(OTA, "eraseSector", [offset]);
  }

  write(offset: number, data: Uint8Array): Promise<void> {
    return this.link.act(OTA, "write", [offset, data]);
  }

  read(slot: OtaSlot, offset: number, length: number): Promise<Uint8Array> {
    return this.link.call(OTA, "read", [slot, offset, length]).then((r) => {
      if (!(r instanceof Uint8Array) || r.length !== length) throw new BridgeWireError("ota: a read is the bytes asked for");
      return r;
    });
  }

  activate(descriptor: Uint8Array): Promise<void> {
    return this.link.act(OTA, "activate", [descriptor]);
  }

  markValid(): Promise<void> {
    return this.link.act(OTA, "markValid");
  }

  rollback(): Promise<void> {
    return this.link.act(OTA, "rollback");
  }

  restart(): Promise<void> {
    return this.link.act(OTA, "restart");
  }

  rollbackCounter(): Promise<number> {
    return this.link.call(OTA, "rollbackCounter").then((c) => {
      // A packed version (kernel/firmware-update/version.ts): a non-negative safe integer.
      if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0) throw new BridgeWireError("ota: the anti-rollback counter is a non-negative integer");
      return c;
    });
  }

  raiseRollbackCounter(value: number): Promise<void> {
    return this.link.act(OTA, "raiseRollbackCounter", [value]);
  }

  loadProgress(): Promise<Uint8Array | null> {
    return this.link.call(OTA, "loadProgress").then((r) => bytesOrNull(r, "the progress record"));
  }

  saveProgress(record: Uint8Array | null): Promise<void> {
    return this.link.act(OTA, "saveProgress", [record]);
  }
}
