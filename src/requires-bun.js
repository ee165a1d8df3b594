// What `import "nano-simd"` loads outside Bun (package.json "exports": the
// "bun" condition gets src/index.ts, every other runtime gets this file).
throw new Error("nano-simd needs Bun >= 1.4.5: it calls its Zig kernels through bun:ffi, which Node, tsx and other runtimes do not have; run your program with `bun`.");
