import { KeyStoreError } from "./errors";
import type { AesDukptDeviceState } from "./dukpt-aes-device";
import type { AesDerivationKeyType } from "./dukpt-aes";
import type { TdesDukptDeviceState } from "./dukpt-tdes-device";
import type { DukptDeviceState } from "./device-transaction";

// The byte layout of the key store's records (the payload of an atomic record). Decoding treats
// the bytes as untrusted: every length is checked and anything unexpected is "keystore-corrupt".
//
// KBPK record:      01 | algorithm ('T' or 'A') | key length (1) | key | KCV length (1) | KCV
// DUKPT AES record: 02 | KCV length (1) | KCV | key length (1: 16, 24, 32) | Initial Key ID (8) |
//                   counter (5) | register bitmap (4) | registers present (key length each) | update key
// DUKPT TDES record: 03 | KCV length (1) | KCV | initial KSN (10) | counter (3) | bitmap (3) | registers (16 each)

export type KbpkAlgorithm = "T" | "A";

export interface KbpkRecord {
  kind: "kbpk";
  algorithm: KbpkAlgorithm;
  key: Uint8Array;
  kcv: Uint8Array;
}

export interface DukptRecord {
  kind: "dukpt";
  /** KCV of the initial key, as loaded (the initial key itself is not kept). */
  kcv: Uint8Array;
  state: DukptDeviceState;
}

export type KeyRecord = KbpkRecord | DukptRecord;

function corrupt(what: string): never {
  throw new KeyStoreError("keystore-corrupt", `key store: ${what}`);
}

class Writer {
  private readonly parts: number[] = [];
  byte(v: number): this { this.parts.push(v & 0xff); return this; }
  bytes(b: Uint8Array): this { for (let i = 0; i < b.length; i++) this.parts.push(b[i]); return this; }
  uint(v: number, n: number): this {
    for (let i = n - 1; i >= 0; i--) this.parts.push(Math.floor(v / Math.pow(256, i)) % 256);
    return this;
  }
  done(): Uint8Array {
    const out = Uint8Array.from(this.parts);
    this.parts.fill(0);
    return out;
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly data: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.data.length) corrupt("a record is truncated");
    return this.data[this.pos++];
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.data.length) corrupt("a record is truncated");
    const out = this.data.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  uint(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.byte();
    return v;
  }
  end(): void {
    if (this.pos !== this.data.length) corrupt("a record has trailing bytes");
  }
}

function bitmap(registers: readonly (Uint8Array | null)[]): number {
  let v = 0;
  for (let i = registers.length - 1; i >= 0; i--) v = v * 2 + (registers[i] ? 1 : 0);
  return v;
}

export function encodeKeyRecord(r: KeyRecord): Uint8Array {
  const w = new Writer();
  if (r.kind === "kbpk") {
    return w.byte(0x01).byte(r.algorithm.charCodeAt(0)).byte(r.key.length).bytes(r.key).byte(r.kcv.length).bytes(r.kcv).done();
  }
  const s = r.state;
  if (s.scheme === "aes-dukpt") {
    const keyBytes = s.updateKey.length;
    w.byte(0x02).byte(r.kcv.length).bytes(r.kcv).byte(keyBytes).bytes(s.initialKeyId).uint(s.counter, 5).uint(bitmap(s.registers), 4);
    for (const reg of s.registers) if (reg) w.bytes(reg);
    return w.bytes(s.updateKey).done();
  }
  w.byte(0x03).byte(r.kcv.length).bytes(r.kcv).bytes(s.initialKsn).uint(s.counter, 3).uint(bitmap(s.registers), 3);
  for (const reg of s.registers) if (reg) w.bytes(reg);
  return w.done();
}

function registersFrom(rd: Reader, count: number, map: number, keyBytes: number): (Uint8Array | null)[] {
  const regs: (Uint8Array | null)[] = [];
  for (let i = 0; i < count; i++) regs.push(Math.floor(map / Math.pow(2, i)) % 2 === 1 ? rd.bytes(keyBytes) : null);
  return regs;
}

export function decodeKeyRecord(data: Uint8Array): KeyRecord {
  const rd = new Reader(data);
  const kind = rd.byte();
  if (kind === 0x01) {
    const alg = String.fromCharCode(rd.byte());
    if (alg !== "T" && alg !== "A") corrupt("unknown KBPK algorithm");
    const key = rd.bytes(rd.byte());
    if (alg === "T" ? key.length !== 16 && key.length !== 24 : key.length !== 16 && key.length !== 24 && key.length !== 32) {
      corrupt("KBPK length does not fit its algorithm");
    }
    const kcv = rd.bytes(rd.byte());
    rd.end();
    return { kind: "kbpk", algorithm: alg, key, kcv };
  }
  if (kind === 0x02) {
    const kcv = rd.bytes(rd.byte());
    const keyBytes = rd.byte();
    const keyType: AesDerivationKeyType | undefined = keyBytes === 16 ? "aes128" : keyBytes === 24 ? "aes192" : keyBytes === 32 ? "aes256" : undefined;
    if (keyType === undefined) corrupt("AES DUKPT key length");
    const initialKeyId = rd.bytes(8);
    const counter = rd.uint(5);
    if (counter > 0x100000000) corrupt("AES DUKPT counter out of range");
    const registers = registersFrom(rd, 32, rd.uint(4), keyBytes);
    const updateKey = rd.bytes(keyBytes);
    rd.end();
    const state: AesDukptDeviceState = { scheme: "aes-dukpt", keyType, initialKeyId, counter, registers, updateKey };
    return { kind: "dukpt", kcv, state };
  }
  if (kind === 0x03) {
    const kcv = rd.bytes(rd.byte());
    const initialKsn = rd.bytes(10);
    const counter = rd.uint(3);
    if (counter > 0x200000) corrupt("TDES DUKPT counter out of range");
    const registers = registersFrom(rd, 21, rd.uint(3), 16);
    rd.end();
    const state: TdesDukptDeviceState = { scheme: "tdes-dukpt", initialKsn, counter, registers };
    return { kind: "dukpt", kcv, state };
  }
  corrupt("unknown record kind");
}

/** Overwrites every key of a record that is no longer needed. */
export function zeroizeKeyRecord(r: KeyRecord): void {
  if (r.kind === "kbpk") {
    r.key.fill(0);
    return;
  }
  for (const reg of r.state.registers) if (reg) reg.fill(0);
  if (r.state.scheme === "aes-dukpt") r.state.updateKey.fill(0);
}
