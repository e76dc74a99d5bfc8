import type { RandomSource } from "../../hal/random";
import { randomBytes } from "../crypto";
import { Secret } from "../security/secret";
import type { ReaderCertificate } from "./certificate";
import { SessionError } from "./errors";
import {
  decodeHello, deriveSessionKeys, encodeHelloReply, encodeHelloReplyCore, handshakeSignedData, NONCE_BYTES, selectVersion,
  zeroizeSessionKeys, type SessionKeys,
} from "./handshake";
import { SUPPORTED_VERSIONS } from "./message";
import { RecordOpener, RecordSealer } from "./record";
import type { SessionCrypto } from "./session-crypto";

// The reader's end of one connection's secure session (docs/protocol.md, "Secure session"):
// the handshake, the two record directions, and who the phone is once it authenticated.
//
//   state          event                          -> next state    action
//   none           HELLO                          -> established   reply signed by the identity key
//   established    HELLO (within the limit)       -> established   new keys (the old are zeroized)
//   any            HELLO beyond the limit         -> same          refused ("session-limit")
//   established    AUTHENTICATE / PAIR-CONFIRM ok -> authenticated (reader-service.ts)
//   authenticated  HELLO                          -> established   a new session starts unauthenticated
//
// Public-key work happens only here, once per HELLO, and HELLOs are limited per connection: a phone
// cannot make the reader spend its time on P-256.

/** HELLOs one connection may send (a rekey after many records, a retry): then it must reconnect. */
export const MAX_HANDSHAKES_PER_CONNECTION = 4;

/** The reader's identity key: a certificate and a signing function (the key may live in hardware). */
export interface ReaderIdentity {
  certificate: ReaderCertificate;
  sign(data: Uint8Array): Uint8Array;
}

export interface ReaderSessionOptions {
  crypto: SessionCrypto;
  random: RandomSource;
  identity: ReaderIdentity;
}

export class ReaderSession {
  private keys: SessionKeys | null = null;
  private sealer: RecordSealer | null = null;
  private opener: RecordOpener | null = null;
  private handshakes = 0;
  /** The phone id once the phone authenticated (bond proof or pairing). */
  private phone: Uint8Array | null = null;

  constructor(private readonly options: ReaderSessionOptions) {}

  get established(): boolean {
    return this.keys !== null;
  }

  get authenticatedPhone(): Uint8Array | null {
    return this.phone;
  }

  /** The keys of the current session, for pairing proofs (pairing.ts). */
  get sessionKeys(): SessionKeys | null {
    return this.keys;
  }

  /**
   * Answers a HELLO message (the bytes after the record type) with the HELLO-REPLY message. Throws
   * MessageError for a HELLO that does not decode, SessionError for no common version ("session-state"),
   * a bad key share ("session-key") or too many handshakes ("session-limit").
   */
  handleHello(hello: Uint8Array): Uint8Array {
    const { crypto, random, identity } = this.options;
    const h = decodeHello(hello);
    const version = selectVersion(h.protocolVersions, SUPPORTED_VERSIONS);
    if (version === null) throw new SessionError("session-state", "session: no protocol version in common");
    // The cheap checks first: only a HELLO that can succeed costs public-key work, and counts.
    if (!crypto.validPublicKey(h.ephemeralKey)) throw new SessionError("session-key", "session: the phone's key share is not a P-256 point");
    if (this.handshakes >= MAX_HANDSHAKES_PER_CONNECTION) {
      throw new SessionError("session-limit", `session: more than ${MAX_HANDSHAKES_PER_CONNECTION} handshakes on one connection`);
    }
    this.handshakes++;
    const ephemeral = crypto.generateKeyPair(random);
    let shared: Uint8Array | null = null;
    try {
      shared = crypto.ecdh(ephemeral.secretKey, h.ephemeralKey);
      const core = encodeHelloReplyCore({ protocolVersion: version, ephemeralKey: ephemeral.publicKey, nonce: randomBytes(random, NONCE_BYTES), certificate: identity.certificate });
      const reply = encodeHelloReply(core, identity.sign(handshakeSignedData(hello, core)));
      this.end();
      this.keys = deriveSessionKeys(crypto, shared, hello, reply);
      this.opener = new RecordOpener(crypto, this.keys.phoneToReader);
      this.sealer = new RecordSealer(crypto, this.keys.readerToPhone);
      return reply;
    } finally {
      ephemeral.secretKey.zeroize();
      if (shared !== null) shared.fill(0);
    }
  }

  /** The message in a protected record from the phone. */
  open(record: Uint8Array): Uint8Array {
    if (this.opener === null) throw new SessionError("session-state", "session: a protected record before the handshake");
    return this.opener.open(record);
  }

  /** A protected record for a message to the phone. */
  seal(message: Uint8Array): Uint8Array {
    if (this.sealer === null) throw new SessionError("session-state", "session: no session to protect a message with");
    return this.sealer.seal(message);
  }

  /** The phone proved a bond or completed pairing. */
  authenticate(phoneId: Uint8Array): void {
    if (this.keys === null) throw new SessionError("session-state", "session: authentication before the handshake");
    this.phone = phoneId.slice();
  }

  /** The phone removed its bond: the session stays, unauthenticated. */
  deauthenticate(): void {
    this.phone = null;
  }

  /** Zeroizes the session's keys (disconnection, a new handshake). */
  end(): void {
    if (this.keys !== null) zeroizeSessionKeys(this.keys);
    this.keys = null;
    this.sealer = null;
    this.opener = null;
    this.phone = null;
  }
}

/** An identity over a secret key held in memory (the simulator; a device may sign in hardware). */
export function softwareIdentity(crypto: SessionCrypto, secretKey: Uint8Array, certificate: ReaderCertificate): ReaderIdentity {
  const key = new Secret(secretKey);
  return { certificate, sign: (data) => crypto.sign(key, data) };
}
