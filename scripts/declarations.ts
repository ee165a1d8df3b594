/**
 * The package's public API as its users' TypeScript sees it: the
 * declaration files tsc emits with tsconfig.build.json (what `prepack` ships
 * in dist/types), read back with the TypeScript compiler API. Everything is
 * derived from src/index.ts's exports, so a new export shows up in
 * docs/api.md and in the declaration tests without a list to update.
 */
import { dirname, join, resolve } from "node:path";
import ts from "typescript";

export const ROOT = join(import.meta.dir, "..");

/** Emits the declarations in memory: absolute path under dist/types -> text. Throws on any compile error. */
export function emitDeclarations(root: string = ROOT): Map<string, string> {
  const configPath = join(root, "tsconfig.build.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) throw new Error(ts.formatDiagnostics(diagnostics, formatHost(root)));
  const files = new Map<string, string>();
  program.emit(undefined, (path, text) => files.set(resolve(path), text), undefined, true);
  return files;
}

function formatHost(root: string): ts.FormatDiagnosticsHost {
  return { getCanonicalFileName: (name) => name, getCurrentDirectory: () => root, getNewLine: () => "\n" };
}

/** One export of the package, as docs/api.md shows it. */
export interface ApiEntry {
  name: string;
  kind: "function" | "interface" | "type" | "value";
  /** The signature(s), or the type's definition, as TypeScript prints them. */
  declaration: string;
  /** The JSDoc text without its tags. */
  doc: string;
  /** The JSDoc tags, e.g. { name: "throws", text: "{TypeError} when ..." }. */
  tags: { name: string; text: string }[];
  /** Parameter names of a function's first signature. */
  parameters: string[];
}

/** Every export of dist/types/index.d.ts, in declaration order. */
export function publicApi(root: string = ROOT): ApiEntry[] {
  const files = emitDeclarations(root);
  const index = join(root, "dist", "types", "index.d.ts");
  if (!files.has(index)) throw new Error(`tsc emitted no ${index}`);
  const options: ts.CompilerOptions = {
    noEmit: true,
    strict: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    target: ts.ScriptTarget.ESNext,
    lib: ["lib.esnext.d.ts"],
    types: [],
  };
  // A compiler host that sees the emitted files as if they were on disk.
  const host = ts.createCompilerHost(options);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (path) => files.has(resolve(path)) || fileExists(path);
  host.readFile = (path) => files.get(resolve(path)) ?? readFile(path);
  host.directoryExists = (path) => [...files.keys()].some((file) => file.startsWith(resolve(path))) || ts.sys.directoryExists(path);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (path, language, ...rest) => {
    const text = files.get(resolve(path));
    return text === undefined ? getSourceFile(path, language, ...rest) : ts.createSourceFile(path, text, language, true);
  };
  const program = ts.createProgram([index], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) throw new Error(ts.formatDiagnostics(diagnostics, formatHost(dirname(index))));

  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    if (!declaration) throw new Error(`export ${exported.name} has no declaration`);
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const tags = symbol.getJsDocTags(checker).map((tag) => ({ name: tag.name, text: ts.displayPartsToString(tag.text).trim() }));
    const base = { name: exported.name, doc, tags };

    if (symbol.flags & ts.SymbolFlags.Interface) return { ...base, kind: "interface", declaration: declaration.getText(), parameters: [] };
    if (symbol.flags & ts.SymbolFlags.TypeAlias) {
      const type = checker.typeToString(checker.getDeclaredTypeOfSymbol(symbol), undefined, ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.NoTruncation);
      return { ...base, kind: "type", declaration: `type ${exported.name} = ${type};`, parameters: [] };
    }
    const signatures = checker.getTypeOfSymbolAtLocation(symbol, declaration).getCallSignatures();
    if (signatures.length > 0) {
      return {
        ...base,
        kind: "function",
        declaration: signatures.map((signature) => `function ${exported.name}${checker.signatureToString(signature, undefined, ts.TypeFormatFlags.NoTruncation)};`).join("\n"),
        parameters: signatures[0]!.getParameters().map((parameter) => parameter.name),
      };
    }
    const type = checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, declaration), undefined, ts.TypeFormatFlags.NoTruncation);
    return { ...base, kind: "value", declaration: `const ${exported.name}: ${type};`, parameters: [] };
  });
}

/** The heading of an entry: functions by name, types with their kind ("type Backend"), so that `backend` and `Backend` get different anchors. */
function heading(entry: ApiEntry): string {
  return entry.kind === "function" || entry.kind === "value" ? entry.name : `${entry.kind} ${entry.name}`;
}

/** GitHub's anchor for a heading: lower case, spaces to hyphens. */
function anchor(entry: ApiEntry): string {
  return heading(entry).toLowerCase().replace(/ /g, "-");
}

/** `{@link addInto}` -> a Markdown link to that entry (a value first, when a type has the same name). */
function links(text: string, entries: ApiEntry[]): string {
  return text.replace(/\{@link\s+([^}\s]+)\s*\}/g, (whole, name: string) => {
    const target = entries.find((entry) => entry.name === name);
    return target ? `[\`${name}\`](#${anchor(target)})` : `\`${name}\``;
  });
}

/** docs/api.md: the reference, one section per export, generated from the declarations. */
export function apiMarkdown(entries: ApiEntry[] = publicApi()): string {
  const groups = [
    { title: "Functions", kinds: ["function", "value"] },
    { title: "Types", kinds: ["interface", "type"] },
  ];
  const lines = [
    "# API reference",
    "",
    "<!-- Generated by `bun run docs:api` from the declarations tsc emits (tsconfig.build.json) and their JSDoc",
    "     in src/. Do not edit: change the JSDoc and run `bun run docs:api`; test/declarations.test.ts fails when",
    "     this file is stale. -->",
    "",
    "Everything `import { … } from \"nano-simd\"` offers, with the documentation an editor shows on hover.",
    "The guide is [the README](../README.md) and the chapters in [docs/](.).",
    "",
  ];
  for (const group of groups) {
    const members = entries.filter((entry) => group.kinds.includes(entry.kind));
    lines.push(`**${group.title}:** ${members.map((entry) => `[\`${entry.name}\`](#${anchor(entry)})`).join(" · ")}`, "");
  }
  for (const group of groups) {
    lines.push(`## ${group.title}`, "");
    for (const entry of entries.filter((member) => group.kinds.includes(member.kind))) {
      lines.push(`### ${heading(entry)}`, "", "```ts", entry.declaration, "```", "");
      if (entry.doc) lines.push(links(entry.doc, entries), "");
      for (const tag of entry.tags) {
        const label = tag.name === "throws" ? "Throws" : `@${tag.name}`;
        const text = tag.text.replace(/^\{(\w+)\}/, "`$1`").replace(/\s*\n\s*/g, " ");
        lines.push(`- **${label}** ${links(text, entries)}`);
      }
      if (entry.tags.length > 0) lines.push("");
    }
  }
  return lines.join("\n").replace(/\n+$/, "\n");
}
