export { fromHex, toHex, isHex } from "./hex";
export { concat, slice, view, constantTimeEqual, zeroize, xor, readUint, writeUint } from "./bytes";
export { packBytes } from "./pack";
