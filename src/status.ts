/**
 * The native side re-checks its preconditions and answers with a status
 * (zig/library.zig `Status`). The wrapper validates first, so a non-zero
 * status means a bug in nano-simd itself; it still becomes an exception
 * rather than a write through a bad pointer.
 */
const STATUS_TEXT: Record<number, string> = {
  1: "a null pointer with a non-zero length",
  2: "out partially overlaps an input",
  3: "an array too long for the address space",
};

export function expectOk(status: number): void {
  if (status !== 0) {
    throw new Error(`nano-simd internal error: the native kernel refused ${STATUS_TEXT[status] ?? `status ${status}`}; nothing was written`);
  }
}
