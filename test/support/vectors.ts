import { readFileSync } from "fs";
import { join } from "path";

/** The published vectors in ../shared/vectors, loaded as data (never computed by the code under test). */
export const VECTORS_DIR = join(__dirname, "..", "..", "..", "shared", "vectors");

export function loadVectors<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, name), "utf8")) as T;
}
