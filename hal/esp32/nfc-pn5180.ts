import Digital from "embedded:io/digital";
import SPI from "embedded:io/spi";
import Time from "time";
import type {
  BitRateKbps, NfcCapabilities, NfcController, RfConfiguration, RfReception, TransceiveOptions,
} from "../nfc-controller";
import type { Clock } from "../clock";
import type { NfcPins } from "./board";

// The NFC front end (hal/nfc-controller.ts) on an NXP PN5180 over SPI, with its BUSY, IRQ and
// RESET_N lines. The PN5180 frames bytes (SOF/EOF, Type A parity, CRC when enabled, short and
// bit-oriented frames); the kernel runs ISO/IEC 14443-3 activation and ISO-DEP over `transceive`.
// Values are from the NXP PN5180 datasheet: the host interface (SPI commands with the BUSY
// handshake), the register map (SYSTEM_CONFIG, IRQ_STATUS, RX_STATUS, CRC_RX/TX_CONFIG) and the
// RF configurations of LOAD_RF_CONFIG.

const CMD = {
  writeRegister: 0x00,
  writeRegisterOrMask: 0x01,
  writeRegisterAndMask: 0x02,
  readRegister: 0x04,
  sendData: 0x09,
  readData: 0x0a,
  loadRfConfig: 0x11,
  rfOn: 0x16,
  rfOff: 0x17,
} as const;

const REG = {
  systemConfig: 0x00,
  irqStatus: 0x02,
  irqClear: 0x03,
  crcRxConfig: 0x12,
  rxStatus: 0x13,
  crcTxConfig: 0x19,
} as const;

const IRQ = { rx: 1 << 0, tx: 1 << 1, idle: 1 << 2, rfOn: 1 << 9, generalError: 1 << 17 } as const;

/** SYSTEM_CONFIG COMMAND field (bits 2..0): 0 idle, 3 transceive. */
const SYSTEM_COMMAND_MASK = 0x7;
const SYSTEM_COMMAND_TRANSCEIVE = 0x3;

/** LOAD_RF_CONFIG: the TX and RX configuration numbers per technology and bit rate. */
const RF_CONFIG: Record<"A" | "B", Record<BitRateKbps, number>> = {
  A: { 106: 0x00, 212: 0x01, 424: 0x02, 848: 0x03 },
  B: { 106: 0x04, 212: 0x05, 424: 0x06, 848: 0x07 },
};
const RF_CONFIG_RX = 0x80;

/** The PN5180's FIFO: 260 bytes to send, 508 to receive; frames to and from an ISO-DEP card stay within the smaller. */
const FIFO_BYTES = 260;
/** The longest BUSY phase of a command (LOAD_RF_CONFIG, RF_ON), ms. */
const BUSY_MS = 50;

export interface PN5180Options extends NfcPins {
  clock: Clock;
  /** SPI clock, Hz (the PN5180 takes up to 7 MHz). */
  hz?: number;
}

function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

export class PN5180 implements NfcController {
  readonly capabilities: NfcCapabilities = { technologies: ["A", "B"], bitRatesKbps: [106, 212, 424, 848], maxFrameBytes: FIFO_BYTES };
  private readonly spi: SPI;
  private readonly nss: Digital;
  private readonly busy: Digital;
  private readonly irq: Digital | null;
  private readonly reset: Digital;
  private readonly clock: Clock;

  constructor(options: PN5180Options) {
    this.clock = options.clock;
    this.spi = new SPI({ clock: options.sck, out: options.mosi, in: options.miso, hz: options.hz ?? 7_000_000, mode: 0, port: options.spi });
    this.nss = new Digital({ pin: options.nss, mode: Digital.Output });
    this.nss.write(1);
    this.busy = new Digital({ pin: options.busy, mode: Digital.Input });
    this.irq = options.irq === undefined ? null : new Digital({ pin: options.irq, mode: Digital.Input });
    this.reset = new Digital({ pin: options.reset, mode: Digital.Output });
    this.reset.write(0);
    this.reset.write(1);
  }

  private waitBusy(level: 0 | 1): void {
    const until = Time.ticks + BUSY_MS;
    while (this.busy.read() !== level) {
      if (Time.ticks > until) throw new Error("pn5180: BUSY stuck");
    }
  }

  /** One command frame with the BUSY handshake (datasheet, host interface): wait idle, send, wait done. */
  private command(bytes: number[]): void {
    this.waitBusy(0);
    this.nss.write(0);
    this.spi.write(Uint8Array.from(bytes));
    this.nss.write(1);
    this.waitBusy(0);
  }

  /** A command whose answer the chip gives in the next frame. */
  private query(bytes: number[], length: number): Uint8Array {
    this.command(bytes);
    const answer = new Uint8Array(length).fill(0xff);
    this.nss.write(0);
    this.spi.transfer(answer);
    this.nss.write(1);
    this.waitBusy(0);
    return answer;
  }

  private writeRegister(register: number, value: number): void {
    this.command([CMD.writeRegister, register, ...u32(value)]);
  }

  private readRegister(register: number): number {
    const v = this.query([CMD.readRegister, register], 4);
    return (v[0] | (v[1] << 8) | (v[2] << 16) | (v[3] << 24)) >>> 0;
  }

  async fieldOn(): Promise<void> {
    this.writeRegister(REG.irqClear, 0xffffffff);
    this.command([CMD.rfOn, 0x00]);
    const until = this.clock.nowMs() + BUSY_MS;
    while ((this.readRegister(REG.irqStatus) & IRQ.rfOn) === 0) {
      if (this.clock.nowMs() > until) throw new Error("pn5180: the field did not come on");
      await this.clock.sleep(1);
    }
  }

  async fieldOff(): Promise<void> {
    this.command([CMD.rfOff, 0x00]);
  }

  async configure(configuration: RfConfiguration): Promise<void> {
    const table = RF_CONFIG[configuration.technology];
    this.command([CMD.loadRfConfig, table[configuration.txKbps], table[configuration.rxKbps] | RF_CONFIG_RX]);
  }

  async transceive(frame: Uint8Array, options: TransceiveOptions): Promise<RfReception> {
    if (frame.length === 0 || frame.length > FIFO_BYTES) throw new RangeError("pn5180: a frame is 1 to 260 bytes");
    const txBits = options.txBits ?? frame.length * 8;
    if (txBits < 1 || txBits > frame.length * 8 || Math.ceil(txBits / 8) !== frame.length) throw new RangeError("pn5180: txBits does not fit the frame");
    this.writeRegister(REG.crcTxConfig, options.crc ? 1 : 0);
    this.writeRegister(REG.crcRxConfig, options.crc ? 1 : 0);
    // Idle, then Transceive: the next SEND_DATA goes out and the receiver waits for the answer.
    this.command([CMD.writeRegisterAndMask, REG.systemConfig, ...u32(~SYSTEM_COMMAND_MASK >>> 0)]);
    this.command([CMD.writeRegisterOrMask, REG.systemConfig, ...u32(SYSTEM_COMMAND_TRANSCEIVE)]);
    this.writeRegister(REG.irqClear, 0xffffffff);
    this.command([CMD.sendData, txBits % 8, ...Array.from(frame)]);

    // The answer must start within timeoutUs of the end of our frame; the IRQ line rises on RX_IRQ.
    const until = this.clock.nowMs() + Math.ceil(options.timeoutUs / 1000) + 1;
    let status = 0;
    for (;;) {
      // The IRQ line, when wired, saves an SPI read per poll; without it IRQ_STATUS is read each time.
      if (this.irq === null || this.irq.read() === 1) {
        status = this.readRegister(REG.irqStatus);
        if (status & (IRQ.rx | IRQ.generalError)) break;
      }
      if (this.clock.nowMs() > until) return { kind: "timeout" };
      await this.clock.sleep(0);
    }
    if (status & IRQ.generalError) return { kind: "transmission-error", cause: "framing" };
    const rx = this.readRegister(REG.rxStatus);
    const length = rx & 0x1ff;
    const integrityError = (rx >>> 16) & 1;
    const protocolError = (rx >>> 17) & 1;
    const collision = (rx >>> 18) & 1;
    const collisionPosition = (rx >>> 19) & 0x7f;
    const lastBits = (rx >>> 26) & 0x7;
    const bytes = length > 0 ? this.query([CMD.readData, 0x00], Math.min(length, 508)) : new Uint8Array(0);
    if (collision) return { kind: "collision", bytes, bits: collisionPosition };
    if (integrityError) return { kind: "transmission-error", cause: options.crc ? "crc" : "parity" };
    if (protocolError) return { kind: "transmission-error", cause: "framing" };
    const bits = lastBits === 0 ? bytes.length * 8 : (bytes.length - 1) * 8 + lastBits;
    return { kind: "frame", bytes, bits };
  }
}
