// A message on the reader's few short lines: words wrapped at spaces, a word longer than a line cut
// where it must. Width counts a character outside Latin-1 (a hanzi) as two columns, as the display
// HAL does. Chinese has no spaces: it wraps anywhere.

function width(ch: string): number {
  return ch.charCodeAt(0) > 0xff ? 2 : 1;
}

function textWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) w += width(s[i]);
  return w;
}

/** Splits `text` into at most `lines` lines of at most `columns` columns (the rest is dropped). */
export function layOut(text: string, columns: number, lines: number): string[] {
  const out: string[] = [];
  let line = "";
  const flush = () => {
    if (line.length > 0) out.push(line);
    line = "";
  };
  for (const word of text.split(" ")) {
    if (word.length === 0) continue;
    const candidate = line.length === 0 ? word : `${line} ${word}`;
    if (textWidth(candidate) <= columns) {
      line = candidate;
      continue;
    }
    flush();
    // A word wider than the line (or Chinese text) is cut character by character.
    for (let i = 0; i < word.length; i++) {
      if (textWidth(line) + width(word[i]) > columns) flush();
      line += word[i];
    }
  }
  flush();
  return out.slice(0, Math.max(1, lines));
}
