// The leak scan: does a text that left the reader (a BLE frame as hex, a log line, a screen, CLI
// output, an error message) contain a secret in clear? Secrets are matched case-insensitively, in
// their text form and, for digit strings, as the hex of their ASCII bytes and as BCD (how a PAN sits
// in tag 5A or a track in tag 57). A hit names the secret's label and the channel, never the
// secret, so the report of a leak does not leak it again. Pure TypeScript: runs inside XS too.

export interface Secret {
  /** What it is, for the report ("PAN of visa-cda", "AES BDK"). */
  label: string;
  /** The forms to look for, uppercase. */
  needles: string[];
}

export interface SecretSet {
  secrets: Secret[];
}

export interface LeakHit {
  channel: string;
  label: string;
}

function asciiHex(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += (text.charCodeAt(i) & 0xff).toString(16).padStart(2, "0").toUpperCase();
  return out;
}

/** A secret with the forms it can take in output: as given, and for text its ASCII hex. */
export function secret(label: string, value: string, options: { asciiHex?: boolean } = {}): Secret {
  const needles = [value.toUpperCase()];
  if (options.asciiHex) needles.push(asciiHex(value));
  return { label, needles };
}

/** The secrets of `set` that `text` holds, one hit a secret. */
export function scanText(set: SecretSet, channel: string, text: string): LeakHit[] {
  const upper = text.toUpperCase();
  const hits: LeakHit[] = [];
  for (const s of set.secrets) {
    for (const n of s.needles) {
      if (n.length > 0 && upper.indexOf(n) >= 0) {
        hits.push({ channel, label: s.label });
        break;
      }
    }
  }
  return hits;
}

/** The hex of bytes, for scanning binary output (BLE frames, storage) with the same needles. */
export function bytesAsText(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16).toUpperCase();
  return out;
}
