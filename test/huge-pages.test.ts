/** adviseHugePages: what it covers, that it changes no byte, and what it refuses. */
import { expect, test } from "bun:test";
import { ptr } from "bun:ffi";
import * as nano from "../src/index.ts";

const HUGE_PAGE = 2 * 1024 * 1024;

/** The bytes of the 2 MiB-aligned middle of `array`, computed here from its address. */
function alignedMiddle(array: Float32Array | Float64Array): number {
  const start = ptr(array);
  const first = Math.ceil(start / HUGE_PAGE) * HUGE_PAGE;
  const last = Math.floor((start + array.byteLength) / HUGE_PAGE) * HUGE_PAGE;
  return Math.max(0, last - first);
}

test("covers the 2 MiB-aligned middle of a large array on Linux (0 elsewhere, or where the kernel refuses), and changes no byte", () => {
  for (const bytes of [5 * HUGE_PAGE, 6 * HUGE_PAGE + 12_344]) {
    const array = new Float64Array(Math.floor(bytes / 8));
    for (let i = 0; i < array.length; i++) array[i] = Math.sin(i) * 1e3;
    const before = array.slice();
    const sum = nano.sum(array);
    const covered = nano.adviseHugePages(array);
    if (process.platform === "linux") {
      // 0 only when the kernel refused both requests (transparent huge pages disabled).
      expect([alignedMiddle(array), 0]).toContain(covered);
      expect(covered % HUGE_PAGE).toBe(0);
    } else {
      expect(covered).toBe(0);
    }
    expect(Buffer.compare(Buffer.from(array.buffer), Buffer.from(before.buffer))).toBe(0);
    expect(nano.sum(array)).toBe(sum);
  }
});

test("a view inside a larger buffer: only its own middle, never the bytes around it", () => {
  const buffer = new ArrayBuffer(8 * HUGE_PAGE);
  const view = new Float32Array(buffer, 4 * 1000, (5 * HUGE_PAGE) / 4);
  const covered = nano.adviseHugePages(view);
  if (process.platform === "linux") expect([alignedMiddle(view), 0]).toContain(covered);
  expect(covered).toBeLessThanOrEqual(view.byteLength);
});

test("arrays under 2 MiB, and empty ones, cover nothing", () => {
  expect(nano.adviseHugePages(new Float32Array(0))).toBe(0);
  expect(nano.adviseHugePages(new Uint8Array(HUGE_PAGE - 1))).toBe(0);
});

test("anything but a usable typed array is a TypeError that names the argument", () => {
  for (const value of [null, undefined, 3, "x", [1, 2], { length: 4 }, new DataView(new ArrayBuffer(8)), new ArrayBuffer(8), new Proxy(new Float32Array(4), {})]) {
    expect(() => nano.adviseHugePages(value as never)).toThrow(TypeError);
    expect(() => nano.adviseHugePages(value as never)).toThrow(/^adviseHugePages: array must be a typed array, got /);
  }
  const detached = new Float64Array(1_000_000);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  expect(() => nano.adviseHugePages(detached)).toThrow(new TypeError("adviseHugePages: array is detached (its ArrayBuffer was transferred)"));
});
