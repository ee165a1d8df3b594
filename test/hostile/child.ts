/**
 * One hostile realm, in its own process: `bun test/hostile/child.ts PATCH [CALL]`
 * (indices into PATCHES and CALLS). It imports nano-simd, prepares every call
 * (or the one asked for) in the clean realm, applies the patch, makes the
 * calls, undoes the patch and only then checks what happened, so that its
 * own checks never run on patched built-ins. Prints one JSON line:
 * [{ call, problem }], problem "" when all is well. A crash kills only this
 * process; test/hostile-realm.test.ts reports it.
 */
import { PATCHES } from "./patches.ts";
import type { Expected, Prepared, Realm } from "./calls.ts";

const patch = PATCHES[Number(process.argv[2])];
if (patch === undefined) throw new Error(`no patch ${process.argv[2]}`);
patch.beforeImport?.();
const { CALLS } = await import("./calls.ts");
const nano = await import("../../src/index.ts");
const { sameFloat32 } = await import("../helpers.ts");

const only = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const chosen = only === undefined ? CALLS : [CALLS[only]!];

interface Outcome {
  threw: boolean;
  error: unknown;
  result: unknown;
}

const realm: Realm = { victims: [], stolen: [], reenter: () => nano.add([1], [2]) };
const prepared: Prepared[] = [];
const victims: ArrayBuffer[][] = [];
const before: Uint8Array[][] = [];
const outcomes: Outcome[] = [];
for (const call of chosen) {
  realm.victims = [];
  const ready = call.make(realm);
  prepared.push(ready);
  victims.push(realm.victims);
  before.push(ready.watched.map((buffer) => new Uint8Array(buffer).slice()));
  outcomes.push({ threw: false, error: undefined, result: undefined });
}

// --- patched: nothing below may use a built-in until undo() ---
const undo = patch.apply(realm);
for (let i = 0; i < prepared.length; i++) {
  realm.victims = victims[i]!;
  const outcome = outcomes[i]!;
  try {
    outcome.result = prepared[i]!.run();
  } catch (error) {
    outcome.threw = true;
    outcome.error = error;
  }
}
undo();
// --- clean again ---

/** "" when every watched byte is unchanged, except `out`'s elements when `allowOut`; as far as each buffer still exists. */
function memoryProblem(ready: Prepared, snapshots: Uint8Array[], allowOut: boolean): string {
  for (let k = 0; k < ready.watched.length; k++) {
    const buffer = ready.watched[k]!;
    if ((buffer as ArrayBuffer).detached) continue; // transferred away by the patch: checked as the attacker's own buffer below
    const now = new Uint8Array(buffer);
    const old = snapshots[k]!;
    const out = ready.expected.kind === "buffer" && allowOut && ready.expected.out.buffer === buffer ? ready.expected.out : undefined;
    const start = out ? out.byteOffset : 0;
    const end = out ? start + out.BYTES_PER_ELEMENT * (ready.expected as { values: number[] }).values.length : 0;
    for (let j = 0; j < Math.min(now.length, old.length); j++) {
      if ((j < start || j >= end) && now[j] !== old[j]) return `byte ${j} of watched buffer ${k} changed (${old[j]} -> ${now[j]})`;
    }
  }
  return "";
}

function errorProblem(outcome: Outcome, expected: Expected, loose: boolean): string {
  const error = outcome.error;
  const kind = error instanceof TypeError ? "TypeError" : error instanceof RangeError ? "RangeError" : "other";
  const text = `${kind}: ${error instanceof Error ? error.message : String(error)}`;
  if (expected.kind === "TypeError" || expected.kind === "RangeError") {
    if (loose && kind !== "other") return "";
    return kind === expected.kind && expected.message.test((error as Error).message) ? "" : `expected ${expected.kind} ${expected.message}, got ${text}`;
  }
  return loose && kind !== "other" ? "" : `expected a result, got ${text}`;
}

function resultProblem(outcome: Outcome, expected: Expected): string {
  switch (expected.kind) {
    case "buffer": {
      if (outcome.result !== expected.out) return "did not return out";
      for (let i = 0; i < expected.values.length; i++) {
        if (!sameFloat32(expected.values[i]!, expected.out[i]!)) return `out[${i}] is ${expected.out[i]}, expected ${expected.values[i]}`;
      }
      return "";
    }
    case "list": {
      const list = outcome.result as unknown[];
      if (!Array.isArray(list) || Object.getPrototypeOf(list) !== Array.prototype) return "the result is not an ordinary array";
      if (list.length !== expected.values.length) return `result length ${list.length}, expected ${expected.values.length}`;
      for (let i = 0; i < list.length; i++) {
        const own = Object.getOwnPropertyDescriptor(list, i);
        if (own === undefined || !("value" in own)) return `result[${i}] is not an own data property`;
        if (typeof own.value !== "number" || !sameFloat32(expected.values[i]!, own.value)) return `result[${i}] is ${String(own.value)}, expected ${expected.values[i]}`;
      }
      return "";
    }
    case "value":
      return Bun.deepEquals(outcome.result, expected.value) ? "" : `got ${JSON.stringify(outcome.result)}, expected ${JSON.stringify(expected.value)}`;
    default:
      return `expected ${expected.kind} ${expected.message}, got a result`;
  }
}

/** "" when no buffer the patch took from a victim changed after it took it. */
function stolenProblem(): string {
  for (const [buffer, bytes] of realm.stolen) {
    if (!Bun.deepEquals(new Uint8Array(buffer), bytes)) return "a buffer transferred away from out changed after the transfer";
  }
  return "";
}

const report = chosen.map((call, i) => {
  const ready = prepared[i]!;
  const outcome = outcomes[i]!;
  const loose = patch.outcome === "same or refused";
  const problem = outcome.threw
    ? errorProblem(outcome, ready.expected, loose) || memoryProblem(ready, before[i]!, false)
    : resultProblem(outcome, ready.expected) || memoryProblem(ready, before[i]!, true);
  return { call: call.name, problem: problem || stolenProblem() };
});
nano.setBackend("auto");
console.log(JSON.stringify(report));
