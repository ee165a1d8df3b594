/**
 * What a library file is built for, read from its header before `dlopen`.
 * Given a library for another OS or architecture, the system's loader
 * answers with something misleading (glibc says "No such file or directory"
 * for an aarch64 .so on x86-64); this names what the file is and what this
 * process needs instead. Only the first bytes are read: a file whose header
 * is right but whose body is truncated or corrupt is beyond what this can
 * tell (see the README's Safety section).
 */
import { closeSync, openSync, readSync } from "node:fs";

/** An executable format, and the operating systems that load it. */
export type LibraryFormat = "ELF" | "Mach-O" | "PE";

/** What a header says: format and CPU architecture, named like `process.arch`. */
export interface LibraryKind {
  format: LibraryFormat;
  /** "x64", "arm64"...; for a macOS universal binary, every slice's, joined by "+". */
  arch: string;
}

const FORMAT_NAME: Record<LibraryFormat, string> = {
  ELF: "a Linux (ELF) library",
  "Mach-O": "a macOS (Mach-O) library",
  PE: "a Windows (PE) DLL",
};

/** ELF e_machine values, by architecture. */
const ELF_MACHINE: Record<number, string> = { 0x03: "ia32", 0x28: "arm", 0x3e: "x64", 0xb7: "arm64", 0xf3: "riscv64", 0x15: "ppc64", 0x16: "s390x", 0x102: "loong64" };
/** Mach-O cputype values (CPU_ARCH_ABI64 is bit 24). */
const MACHO_CPU: Record<number, string> = { 0x7: "ia32", 0x01000007: "x64", 0xc: "arm", 0x0100000c: "arm64" };
/** PE/COFF Machine values. */
const PE_MACHINE: Record<number, string> = { 0x14c: "ia32", 0x8664: "x64", 0x1c4: "arm", 0xaa64: "arm64" };

const hex = (value: number) => `0x${value.toString(16)}`;
const archName = (table: Record<number, string>, value: number) => table[value] ?? `unknown machine ${hex(value)}`;

/** The format this process loads, from `process.platform`. */
export function formatFor(platform: string): LibraryFormat {
  if (platform === "darwin") return "Mach-O";
  if (platform === "win32") return "PE";
  return "ELF"; // linux, the BSDs, android, sunos
}

/** The first `length` bytes at `position` of the file (fewer if it is shorter). */
function readBytes(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  return bytes.subarray(0, readSync(fd, bytes, 0, length, position));
}

function parse(fd: number): LibraryKind | undefined {
  const head = readBytes(fd, 0, 64);
  if (head.length >= 20 && head[0] === 0x7f && head.toString("latin1", 1, 4) === "ELF") {
    const machine = head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
    return { format: "ELF", arch: archName(ELF_MACHINE, machine) };
  }
  if (head.length >= 8) {
    const magic = head.readUInt32LE(0);
    if (magic === 0xfeedfacf || magic === 0xfeedface) return { format: "Mach-O", arch: archName(MACHO_CPU, head.readUInt32LE(4)) };
    if (head.readUInt32BE(0) === 0xcafebabe) {
      // A universal binary: a table of slices, big-endian, 20 bytes each.
      const count = Math.min(head.readUInt32BE(4), 16);
      const table = readBytes(fd, 8, count * 20);
      const arches: string[] = [];
      for (let i = 0; i + 20 <= table.length; i += 20) arches.push(archName(MACHO_CPU, table.readUInt32BE(i)));
      return { format: "Mach-O", arch: arches.join("+") };
    }
  }
  if (head.length >= 64 && head.toString("latin1", 0, 2) === "MZ") {
    const peHeader = readBytes(fd, head.readUInt32LE(0x3c), 6);
    if (peHeader.length === 6 && peHeader.toString("latin1", 0, 4) === "PE\0\0") return { format: "PE", arch: archName(PE_MACHINE, peHeader.readUInt16LE(4)) };
  }
  return undefined;
}

/** What the file at `path` is built for, or undefined if it is no ELF, Mach-O or PE file. Throws if it cannot be read. */
export function readLibraryKind(path: string): LibraryKind | undefined {
  const fd = openSync(path, "r");
  try {
    return parse(fd);
  } finally {
    closeSync(fd);
  }
}

/** Zig's name for a target, for the hint in the error. */
function zigTarget(platform: string, arch: string): string {
  const cpu = arch === "x64" ? "x86_64" : arch === "arm64" ? "aarch64" : arch;
  const os = platform === "darwin" ? "macos" : platform === "win32" ? "windows" : platform;
  return `${cpu}-${os}`;
}

/**
 * Throws an Error naming what the file is and what this process needs when
 * the library at `path` is not for this OS and architecture (or is not a
 * library at all); returns quietly when its header matches.
 */
export function expectLoadableLibrary(path: string, platform: string = process.platform, arch: string = process.arch): void {
  const kind = readLibraryKind(path);
  const needed = `${FORMAT_NAME[formatFor(platform)]} for ${arch}`;
  const hint = `Use the library built for ${platform}-${arch} (\`zig build -Dtarget=${zigTarget(platform, arch)}\`).`;
  if (kind === undefined) {
    throw new Error(`nano-simd: ${path} is not a shared library (no ELF, Mach-O or PE header); this process (${platform}-${arch}) needs ${needed}. ${hint}`);
  }
  if (kind.format !== formatFor(platform) || !kind.arch.split("+").includes(arch)) {
    throw new Error(`nano-simd: ${path} is ${FORMAT_NAME[kind.format]} for ${kind.arch}, but this process (${platform}-${arch}) needs ${needed}. ${hint}`);
  }
}
