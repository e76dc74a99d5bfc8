import { PowerRail } from "./power-rail";

// One simulated SPI NOR flash region (an OTA slot): erase sets a whole sector to 0xFF, program can
// only clear bits (new = old AND data, as NOR cells do: SFDP JESD216, and any SPI NOR datasheet's
// Page Program), a read returns what the cells hold. A power cut during an erase leaves the sector
// half erased; during a program, the bytes before the cut programmed and one byte torn.

/** The byte a torn cell reads as: neither the old nor the new value, deterministic for tests. */
const TORN = 0x5a;

export class NorFlash {
  readonly bytes: Uint8Array;

  constructor(readonly size: number, readonly sectorBytes: number, private readonly power: PowerRail) {
    if (!Number.isInteger(size) || !Number.isInteger(sectorBytes) || sectorBytes <= 0 || size % sectorBytes !== 0) {
      throw new Error("nor flash: the size must be a whole number of sectors");
    }
    this.bytes = new Uint8Array(size).fill(0xff);
  }

  erase(offset: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.size || offset % this.sectorBytes !== 0) {
      throw new Error(`nor flash: erase at ${offset} is not the start of a sector`);
    }
    if (this.power.begin("sector erase")) {
      const half = this.sectorBytes >> 1;
      this.bytes.fill(0xff, offset, offset + half);
      this.bytes[offset + half] = TORN;
      this.power.cut("sector erase");
    }
    this.bytes.fill(0xff, offset, offset + this.sectorBytes);
  }

  program(offset: number, data: Uint8Array): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + data.length > this.size) {
      throw new Error(`nor flash: program of ${data.length} bytes at ${offset} is outside the region`);
    }
    if (this.power.begin("program")) {
      const done = data.length >> 1;
      for (let i = 0; i < done; i++) this.bytes[offset + i] &= data[i];
      if (done < data.length) this.bytes[offset + done] = TORN;
      this.power.cut("program");
    }
    for (let i = 0; i < data.length; i++) this.bytes[offset + i] &= data[i];
  }

  read(offset: number, length: number): Uint8Array {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new Error(`nor flash: read of ${length} bytes at ${offset} is outside the region`);
    }
    return this.bytes.slice(offset, offset + length);
  }
}
