// npm run docs:schemas — writes docs/schemas/**/*.json from the zod schemas and the index in docs/protocol.md.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { INDEX_END, INDEX_START, schemaFiles, schemaIndex } from "../lib/protocol/schema-docs.ts";

const root = path.resolve(import.meta.dirname, "..");
const files = schemaFiles();
for (const f of files) {
  const out = path.join(root, "docs", "schemas", f.file);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(f.schema, null, 2)}\n`);
}
const protocol = path.join(root, "docs", "protocol.md");
const md = readFileSync(protocol, "utf8");
const start = md.indexOf(INDEX_START);
const end = md.indexOf(INDEX_END);
if (start === -1 || end === -1) throw new Error("docs/protocol.md has no schema index markers");
writeFileSync(protocol, md.slice(0, start) + schemaIndex(files) + md.slice(end + INDEX_END.length));
console.log(`wrote ${files.length} JSON Schemas to docs/schemas/`);
