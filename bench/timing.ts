/**
 * What the family benchmarks share: how one call is timed, and how a table
 * is printed.
 */

/** Median ns per call of `call`, the lowest of 3 rounds. */
export function time(call: () => unknown): number {
  call();
  const start = Bun.nanoseconds();
  let calls = 0;
  while (Bun.nanoseconds() - start < 5e6) {
    call();
    calls++;
  }
  const perRound = Math.max(5, Math.ceil((30e6 / (Bun.nanoseconds() - start)) * calls));
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const samples: number[] = [];
    for (let s = 0; s < 9; s++) {
      const batch = Math.max(1, Math.ceil(perRound / 9));
      const t0 = Bun.nanoseconds();
      for (let i = 0; i < batch; i++) call();
      samples.push((Bun.nanoseconds() - t0) / batch);
    }
    samples.sort((x, y) => x - y);
    best = Math.min(best, samples[4]!);
  }
  return best;
}

/** Prints rows of cells in columns: the first two left-aligned, the rest right-aligned. */
export function printTable(table: string[][]): void {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) console.log(row.map((text, i) => (i < 2 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!))).join("  "));
}
