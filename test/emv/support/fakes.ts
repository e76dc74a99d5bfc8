import type { RandomSource } from "../../../hal/random";
import { fromHex, toHex } from "../../../kernel/bytes";
import { softwareCrypto } from "../../../kernel/crypto";
import type { ApplicationChoice, CardholderInterface, PinEntryResult, PinRequest } from "../../../kernel/emv/cardholder";
import { newContext, type EmvKernelDeps, type TransactionContext, type TransactionParams } from "../../../kernel/emv/context";
import type { MessageName } from "../../../kernel/emv/messages";
import type { OdaEnvironment } from "../../../kernel/emv/oda-environment";
import type { AuthorizationRequest, AuthorizationResult, OnlineAuthorizer, OnlinePinEncryptor } from "../../../kernel/emv/online";
import { loadTerminalConfig, type TerminalConfig } from "../../../kernel/emv/terminal-config";
import type { CardDataProtector, P2peEnvelope, SensitiveItem } from "../../../kernel/security/p2pe";
import type { ApduTransport } from "../../../kernel/iso7816/apdu";

// Test doubles for the kernel's dependencies: a cardholder who types scripted PINs, an issuer that
// answers as told, a P2PE protector and PIN encryptor that record what they were given, a fake
// OdaEnvironment whose verdicts the test sets, and a random source with a known sequence.

export class ScriptedCardholder implements CardholderInterface {
  readonly pinRequests: PinRequest[] = [];
  readonly shown: MessageName[] = [];
  readonly offered: ApplicationChoice[][] = [];
  confirmations: boolean[] = [];
  choice: number | null = 0;

  constructor(private readonly pins: (string | PinEntryResult)[] = []) {}

  async selectApplication(choices: ApplicationChoice[]): Promise<number | null> {
    this.offered.push(choices);
    return this.choice;
  }
  async confirmApplication(choice: ApplicationChoice): Promise<boolean> {
    this.offered.push([choice]);
    return this.confirmations.length > 0 ? (this.confirmations.shift() as boolean) : true;
  }
  async enterPin(request: PinRequest): Promise<PinEntryResult> {
    this.pinRequests.push(request);
    const next = this.pins.shift();
    if (next === undefined) return { kind: "timeout" };
    if (typeof next !== "string") return next;
    return { kind: "entered", pin: new TextEncoder().encode(next) };
  }
  display(message: MessageName): void {
    this.shown.push(message);
  }
}

export class ScriptedIssuer implements OnlineAuthorizer {
  readonly requests: AuthorizationRequest[] = [];
  constructor(public answer: AuthorizationResult = { kind: "response", arc: "00" }) {}
  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    this.requests.push(request);
    return this.answer;
  }
}

export class RecordingProtector implements CardDataProtector {
  readonly calls: SensitiveItem[][] = [];
  async protect(items: SensitiveItem[]): Promise<P2peEnvelope> {
    this.calls.push(items.map((i) => ({ tag: i.tag, value: i.value.slice() })));
    return { scheme: "aes-dukpt", ksn: fromHex("FFFF000000000000000000" + "01"), ciphertext: new Uint8Array(16), mac: new Uint8Array(16) };
  }
}

export class RecordingPinEncryptor implements OnlinePinEncryptor {
  readonly pins: string[] = [];
  async encryptPin(pin: Uint8Array, pan: string) {
    this.pins.push(new TextDecoder().decode(pin) + "/" + pan);
    return { block: new Uint8Array(16).fill(0x44), ksn: fromHex("FFFF00000000000000000002"), format: 4 as const };
  }
}

/** A random source that hands out the given bytes in order, then zeros. */
export class FixedRandom implements RandomSource {
  private i = 0;
  constructor(private readonly bytes: number[] = []) {}
  fill(out: Uint8Array): void {
    for (let j = 0; j < out.length; j++) out[j] = this.i < this.bytes.length ? this.bytes[this.i++] : 0;
  }
}

export type FakeVerdict = { ok: true } | { ok: false; missing?: boolean };

/** An OdaEnvironment whose every verdict the test sets (the Book 2 maths is tested in test/emv/oda-*). */
export class FakeOda implements OdaEnvironment {
  sda: FakeVerdict = { ok: true };
  iccKey: FakeVerdict = { ok: true };
  dda: FakeVerdict = { ok: true };
  cda: FakeVerdict = { ok: true };
  pinKey: FakeVerdict = { ok: true };
  readonly cdaInputs: unknown[] = [];
  private key = { modulus: new Uint8Array(128).fill(0xc1), exponent: fromHex("03") };

  private verdict<T extends object>(v: FakeVerdict, value: T) {
    return v.ok ? { ok: true as const, ...value } : { ok: false as const, reason: "hash-mismatch" as const, missing: v.missing === true };
  }
  staticDataAuthentication() {
    return this.verdict(this.sda, { dataAuthenticationCode: fromHex("DAC1") });
  }
  iccPublicKey() {
    return this.verdict(this.iccKey, { key: this.key });
  }
  verifyDynamicSignature() {
    return this.verdict(this.dda, { iccDynamicNumber: fromHex("0102030405060708") });
  }
  verifyCombinedSignature(input: unknown) {
    this.cdaInputs.push(input);
    return this.verdict(this.cda, { iccDynamicNumber: fromHex("0102030405060708"), cryptogram: fromHex("CDA0CDA0CDA0CDA0") });
  }
  pinEnciphermentKey() {
    return this.verdict(this.pinKey, { key: this.key });
  }
}

/** The terminal configuration most tests use: an attended, online-capable (22) merchant terminal. */
export const TEST_CONFIG_JSON = {
  terminalType: "22",
  capabilities: "60F8C8",
  additionalCapabilities: "6000A03001",
  countryCode: "0840",
  currencyCode: "0840",
  currencyExponent: 2,
  terminalId: "TERM0001",
  merchantId: "MERCHANT0000001",
  ifdSerialNumber: "SN000001",
  languages: ["en", "fr"],
  applications: [
    {
      aid: "A0000000031010", partialSelection: true, applicationVersion: "0096",
      tacDenial: "0010000000", tacOnline: "DC4004F800", tacDefault: "DC4000A800",
      floorLimit: 0, defaultDdol: "9F3704", defaultTdol: "9F02065F2A029A039C0195059F3704",
    },
    {
      aid: "A0000000041010", partialSelection: false, applicationVersion: "0002",
      tacDenial: "0000000000", tacOnline: "F45084800C", tacDefault: "F45084800C",
      floorLimit: 0, defaultDdol: "9F3704",
    },
  ],
};

export function testConfig(patch: (json: any) => void = () => {}): TerminalConfig {
  const json = JSON.parse(JSON.stringify(TEST_CONFIG_JSON));
  patch(json);
  return loadTerminalConfig(json);
}

export const TEST_PARAMS: TransactionParams = {
  amount: 1234,
  amountOther: 0,
  transactionType: 0x00,
  date: { year: 2025, month: 6, day: 15 },
  time: { hour: 12, minute: 0, second: 0 },
  sequenceCounter: 1,
  merchantForcedOnline: false,
};

export interface Fakes {
  cardholder: ScriptedCardholder;
  issuer: ScriptedIssuer;
  protector: RecordingProtector;
  pinEncryptor: RecordingPinEncryptor;
  oda: FakeOda;
  random: FixedRandom;
}

export function fakes(pins: (string | PinEntryResult)[] = [], random: number[] = [0x11, 0x22, 0x33, 0x44]): Fakes {
  return {
    cardholder: new ScriptedCardholder(pins),
    issuer: new ScriptedIssuer(),
    protector: new RecordingProtector(),
    pinEncryptor: new RecordingPinEncryptor(),
    oda: new FakeOda(),
    random: new FixedRandom(random),
  };
}

export function depsOf(transport: ApduTransport, f: Fakes): EmvKernelDeps {
  return {
    transport,
    crypto: softwareCrypto,
    random: f.random,
    cardholder: f.cardholder,
    authorizer: f.issuer,
    protector: f.protector,
    pinEncryptor: f.pinEncryptor,
    oda: f.oda,
  };
}

/** A context for testing one phase alone. */
export function contextFor(transport: ApduTransport, f: Fakes, config = testConfig(), params: Partial<TransactionParams> = {}): TransactionContext {
  const ctx = newContext(config, { ...TEST_PARAMS, ...params }, depsOf(transport, f));
  return ctx;
}

export { toHex };
