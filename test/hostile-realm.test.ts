/**
 * The hostile realm (issue 9): after importing nano-simd, user code patches
 * the built-ins a check could touch (test/hostile/patches.ts), then calls
 * every API (test/hostile/calls.ts). Each call must give the documented
 * error or the exact result, with the guard bands around `out` untouched,
 * and must not crash. Each patch runs in a child process (test/hostile/child.ts),
 * so a crash fails that test rather than the runner; when a child dies, each
 * call is run again alone to name the one that killed it.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { CALLS } from "./hostile/calls.ts";
import { PATCHES } from "./hostile/patches.ts";
import { BUN } from "./helpers.ts";

const CHILD = join(import.meta.dir, "hostile", "child.ts");

interface Report {
  call: string;
  problem: string;
}

/** Runs the child for one patch (and one call, when given); the report, or what killed it. */
function runChild(patch: number, call?: number): { report?: Report[]; death?: string } {
  const args = call === undefined ? [String(patch)] : [String(patch), String(call)];
  const run = Bun.spawnSync([BUN, CHILD, ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NANO_SIMD_BACKEND: "" } });
  const lines = run.stdout.toString().trim().split("\n");
  if (run.exitCode === 0) return { report: JSON.parse(lines[lines.length - 1]!) as Report[] };
  return { death: `exit ${run.exitCode}${run.signalCode ? ` (${run.signalCode})` : ""}: ${run.stderr.toString().trim().split("\n").slice(-3).join(" | ")}` };
}

PATCHES.forEach((patch, index) => {
  test(`${patch.name}: every call right or refused as documented, nothing written outside out, no crash`, () => {
    const whole = runChild(index);
    let problems: string[];
    if (whole.report) {
      problems = whole.report.filter((entry) => entry.problem !== "").map((entry) => `${entry.call}: ${entry.problem}`);
    } else {
      // Name the call that killed it: each alone.
      problems = [`the child died (${whole.death})`];
      CALLS.forEach((call, i) => {
        const alone = runChild(index, i);
        if (alone.death) problems.push(`${call.name}: the child died (${alone.death})`);
        else if (alone.report![0]!.problem !== "") problems.push(`${call.name}: ${alone.report![0]!.problem}`);
      });
    }
    expect(problems).toEqual([]);
  }, 60_000);
});

test("refusing hollow lists allocates nothing for their claimed length, and the list scratch keeps its size (finding 3)", () => {
  // In a child, so that other tests' allocations do not blur the figure. Before the fix: about 1 GiB more.
  const script = `
    const nano = await import(${JSON.stringify(join(import.meta.dir, "..", "src", "index.ts"))});
    nano.add([1, 2], [3, 4]); // the scratch now holds 2 elements
    Bun.gc(true);
    const before = process.memoryUsage().rss;
    const claims = [2 ** 27 - 1, 2 ** 30, 2 ** 32 - 1];
    let refused = 0;
    for (const length of claims) {
      for (const add of [nano.addJs, nano.addNaive, nano.add]) {
        try { add({ length, 0: 1 }, { length, 0: 1 }); } catch (error) { if (error instanceof TypeError && error.message === "a[1] must be a number, got undefined") refused++; }
      }
    }
    Bun.gc(true);
    console.log(JSON.stringify({ refused, growthMiB: (process.memoryUsage().rss - before) / 2 ** 20 }));
  `;
  const run = Bun.spawnSync([BUN, "-e", script], { stdout: "pipe", stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  const { refused, growthMiB } = JSON.parse(run.stdout.toString()) as { refused: number; growthMiB: number };
  expect(refused).toBe(9);
  expect(growthMiB).toBeLessThan(64);
});

test("cpuFeatures() copies only the detected features: a setter or a throwing enumerable getter on Object.prototype changes nothing", () => {
  const script = `
    const nano = await import(${JSON.stringify(join(import.meta.dir, "..", "src", "index.ts"))});
    const clean = nano.cpuFeatures();
    const keys = Object.keys(clean);
    for (const key of keys) Object.defineProperty(Object.prototype, key, { set() {}, get() { return undefined; }, configurable: true });
    Object.defineProperty(Object.prototype, "polluted", { get() { throw new Error("a getter on Object.prototype ran"); }, enumerable: true, configurable: true });
    let result;
    try { const copy = nano.cpuFeatures(); result = keys.every((key) => Object.hasOwn(copy, key) && copy[key] === clean[key]) && Object.keys(copy).length === keys.length ? "same" : "different"; }
    catch (error) { result = String(error); }
    for (const key of [...keys, "polluted"]) delete Object.prototype[key];
    console.log(JSON.stringify({ result, keys: keys.length }));
  `;
  const run = Bun.spawnSync([BUN, "-e", script], { stdout: "pipe", stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  const { result, keys } = JSON.parse(run.stdout.toString()) as { result: string; keys: number };
  expect(keys).toBeGreaterThan(0);
  expect(result).toBe("same");
});
