/**
 * `bun run docs:api`: writes docs/api.md from the declarations and their
 * JSDoc (scripts/declarations.ts). Run it after changing an export or its
 * comment; test/declarations.test.ts fails while docs/api.md is stale.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { apiMarkdown, ROOT } from "./declarations.ts";

const path = join(ROOT, "docs", "api.md");
writeFileSync(path, apiMarkdown());
console.log(`wrote ${path}`);
