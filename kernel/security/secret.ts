// A secret value (a key, a PIN buffer) that can be zeroized and never shows itself: JSON, string
// conversion and Node's inspector all print "[redacted]" (STYLE.md: sensitive values never
// serialize themselves). The bytes are not a property of the object at all (they live in a
// module-private WeakMap), so a deep-equality assertion, a structured log or a JSON dump of an
// object holding a Secret cannot reach them.

const REDACTED = "[redacted]";
const store = new WeakMap<Secret, Uint8Array>();

export class Secret {
  /** Takes a copy of `bytes`: the caller still owns (and zeroizes) its buffer. */
  constructor(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("secret: expected bytes");
    store.set(this, bytes.slice());
  }

  /** Wraps `bytes` without a copy: the caller hands its buffer over, zeroized with the Secret. */
  static adopt(bytes: Uint8Array): Secret {
    const s = new Secret(new Uint8Array(0));
    store.set(s, bytes);
    return s;
  }

  /** Length in bytes; 0 once zeroized. */
  get length(): number {
    return (store.get(this) ?? EMPTY).length;
  }

  /** True once zeroize() ran. */
  get destroyed(): boolean {
    return !store.has(this);
  }

  /**
   * Runs `fn` over the bytes (a view, not a copy: `fn` must not keep it) and returns its result.
   * Throws after zeroize(): a destroyed key is never used by mistake.
   */
  use<T>(fn: (bytes: Uint8Array) => T): T {
    const b = store.get(this);
    if (b === undefined) throw new Error("secret: used after zeroize");
    return fn(b);
  }

  /** A copy of the bytes, for a caller that zeroizes it after use. */
  copy(): Uint8Array {
    return this.use((b) => b.slice());
  }

  /** Overwrites the bytes with zeros and forgets them. Idempotent. */
  zeroize(): void {
    const b = store.get(this);
    if (b !== undefined) {
      b.fill(0);
      store.delete(this);
    }
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  /** Node's util.inspect (console.log, jest diffs) honours this symbol; other engines ignore it. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return REDACTED;
  }
}

const EMPTY = new Uint8Array(0);
