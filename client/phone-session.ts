import type { RandomSource } from "../hal/random";
import { randomBytes } from "../kernel/crypto";
import {
  authenticationProof, decodeHelloReply, deriveBondKey, deriveSessionKeys, encodeHello, handshakeSignedData, NONCE_BYTES,
  pairingProof, RecordOpener, RecordSealer, SessionError, SUPPORTED_VERSIONS, verifyCertificate, zeroizeSessionKeys,
  type KeyPair, type ReaderCertificate, type SessionCrypto, type SessionKeys,
} from "../kernel/protocol";

// The phone's end of the secure session (docs/protocol.md, "Secure session"): it sends HELLO,
// checks that HELLO-REPLY comes from a genuine reader (certificate from the pinned fleet CA, issued
// to the serial the reader advertises, and a signature over both handshake messages), then seals
// requests and opens responses and events.

export interface PhoneSessionOptions {
  crypto: SessionCrypto;
  random: RandomSource;
  fleetCaPublicKey: Uint8Array;
  /** Seconds since 1970 for the certificate's validity, or null when the phone's time is unknown. */
  nowSeconds: number | null;
}

export class PhoneSession {
  private ephemeral: KeyPair | null = null;
  private hello: Uint8Array | null = null;
  private keys: SessionKeys | null = null;
  private sealer: RecordSealer | null = null;
  private opener: RecordOpener | null = null;
  private certificate: ReaderCertificate | null = null;

  constructor(private readonly options: PhoneSessionOptions) {}

  /** A HELLO message (to send in a handshake record). */
  start(): Uint8Array {
    this.end();
    this.ephemeral = this.options.crypto.generateKeyPair(this.options.random);
    this.hello = encodeHello({
      protocolVersions: Uint8Array.from(SUPPORTED_VERSIONS),
      ephemeralKey: this.ephemeral.publicKey,
      nonce: randomBytes(this.options.random, NONCE_BYTES),
    });
    return this.hello;
  }

  /**
   * Takes HELLO-REPLY. Throws SessionError "session-certificate" or "session-signature" when the
   * reader cannot prove who it is, "session-state" without a HELLO first.
   */
  accept(reply: Uint8Array, expectedSerial: string): ReaderCertificate {
    const { crypto } = this.options;
    if (this.ephemeral === null || this.hello === null) throw new SessionError("session-state", "session: HELLO-REPLY without a HELLO");
    const { reply: r, core } = decodeHelloReply(reply);
    if (SUPPORTED_VERSIONS.indexOf(r.protocolVersion) < 0) throw new SessionError("session-state", "session: the reader chose a version we did not offer");
    verifyCertificate(crypto, r.certificate, this.options.fleetCaPublicKey, this.options.nowSeconds, expectedSerial);
    if (!crypto.verify(r.certificate.publicKey, handshakeSignedData(this.hello, core), r.signature)) {
      throw new SessionError("session-signature", "session: the reader's handshake signature does not verify");
    }
    const shared = crypto.ecdh(this.ephemeral.secretKey, r.ephemeralKey);
    this.ephemeral.secretKey.zeroize();
    this.ephemeral = null;
    this.keys = deriveSessionKeys(crypto, shared, this.hello, reply);
    this.sealer = new RecordSealer(crypto, this.keys.phoneToReader);
    this.opener = new RecordOpener(crypto, this.keys.readerToPhone);
    this.certificate = r.certificate;
    return r.certificate;
  }

  get established(): boolean {
    return this.keys !== null;
  }

  get readerCertificate(): ReaderCertificate | null {
    return this.certificate;
  }

  seal(message: Uint8Array): Uint8Array {
    if (this.sealer === null) throw new SessionError("session-state", "session: not established");
    return this.sealer.seal(message);
  }

  open(record: Uint8Array): Uint8Array {
    if (this.opener === null) throw new SessionError("session-state", "session: not established");
    return this.opener.open(record);
  }

  authenticationProof(bondKey: Uint8Array, phoneId: Uint8Array): Uint8Array {
    return authenticationProof(this.options.crypto, bondKey, this.requireKeys(), phoneId);
  }

  pairingProof(phoneId: Uint8Array, code: string): Uint8Array {
    return pairingProof(this.options.crypto, this.requireKeys(), phoneId, code);
  }

  bondKey(phoneId: Uint8Array, code: string): Uint8Array {
    return deriveBondKey(this.options.crypto, this.requireKeys(), phoneId, code);
  }

  end(): void {
    this.ephemeral?.secretKey.zeroize();
    this.ephemeral = null;
    if (this.keys !== null) zeroizeSessionKeys(this.keys);
    this.keys = null;
    this.sealer = null;
    this.opener = null;
  }

  private requireKeys(): SessionKeys {
    if (this.keys === null) throw new SessionError("session-state", "session: not established");
    return this.keys;
  }
}
