// One backing buffer for the byte fields of a tree of plain data (a configuration loaded at run
// time: the terminal's, its applications'). On XS each Uint8Array with a buffer of its own costs
// ~7.6 slots (~120 bytes on the ESP32) however few its bytes; a view into a shared buffer costs ~5.
// A configuration of some 40 short fields thus rests ~1.5 KB smaller (issue 10, item 5).

/** Plain data: objects and arrays of numbers, strings, booleans and byte arrays. */
type Tree = unknown;

function forEachBytes(node: Tree, visit: (holder: Record<string, unknown> | unknown[], key: string | number, bytes: Uint8Array) => void, depth: number): void {
  // A configuration is a few levels deep; a cycle or a deep tree is a bug of the caller.
  if (depth > 8) throw new Error("packBytes: the tree is deeper than a configuration");
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v: unknown = node[i];
      if (v instanceof Uint8Array) visit(node, i, v);
      else if (v !== null && typeof v === "object") forEachBytes(v, visit, depth + 1);
    }
    return;
  }
  if (node === null || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (v instanceof Uint8Array) visit(o, key, v);
    else if (v !== null && typeof v === "object") forEachBytes(v, visit, depth + 1);
  }
}

/**
 * Moves every Uint8Array of `tree` (own enumerable properties and array items of plain objects
 * and arrays) into one buffer, each replaced by a view of its bytes there. The views are distinct
 * (writing one never changes another); an array the tree holds twice is copied twice. Returns
 * `tree`, changed in place.
 */
export function packBytes<T>(tree: T): T {
  let total = 0;
  forEachBytes(tree, (_h, _k, bytes) => { total += bytes.length; }, 0);
  const buffer = new Uint8Array(total);
  let at = 0;
  forEachBytes(tree, (holder, key, bytes) => {
    buffer.set(bytes, at);
    (holder as Record<string | number, unknown>)[key] = buffer.subarray(at, at + bytes.length);
    at += bytes.length;
  }, 0);
  return tree;
}
