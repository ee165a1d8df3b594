#!/bin/sh
# Bit-identity of zig/reduce.zig across ISAs: builds the "hash" test of
# zig/reduce_test.zig for several CPUs (and aarch64 under qemu-user) and
# prints each run's hash of all results; they must all be equal.
# Usage (from the package root): sh zig/reduce_check_isas.sh
set -e
ZIG=node_modules/.bin/zig
run() {
  label=$1; shift
  hash=$($ZIG test zig/reduce_test.zig --test-filter hash "$@" 2>&1 | sed -n 's/.*reduce results hash: \([0-9a-f]*\).*/\1/p')
  echo "$label: ${hash:-FAILED}"
  echo "$hash" >> "$hashes"
}
hashes=$(mktemp)
run "x86_64 baseline (sse2), ReleaseFast" -O ReleaseFast -mcpu=x86_64
run "x86_64 baseline (sse2), ReleaseSmall" -O ReleaseSmall -mcpu=x86_64
run "x86_64_v3 (avx2, fma), ReleaseFast" -O ReleaseFast -mcpu=x86_64_v3
if grep -q avx512f /proc/cpuinfo; then
  run "x86_64_v4 (avx512), ReleaseFast" -O ReleaseFast -mcpu=x86_64_v4
else
  echo "x86_64_v4: skipped, this CPU has no AVX-512"
fi
if command -v qemu-aarch64 >/dev/null; then
  run "aarch64 (neon) under qemu, ReleaseFast" -O ReleaseFast -target aarch64-linux \
    --test-cmd qemu-aarch64 --test-cmd -L --test-cmd /usr/aarch64-linux-gnu --test-cmd-bin
fi
distinct=$(sort -u "$hashes" | wc -l)
empty=$(grep -c '^$' "$hashes" || true)
rm -f "$hashes"
if [ "$distinct" = 1 ] && [ "$empty" = 0 ]; then echo "all equal"; else echo "MISMATCH"; exit 1; fi
