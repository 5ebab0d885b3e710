import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { INDEX_END, INDEX_START, schemaFiles, schemaIndex } from "../../../lib/protocol/schema-docs.ts";

const root = path.resolve(import.meta.dirname, "../../..");

describe("docs/schemas", () => {
  it("are the JSON Schemas the zod schemas generate (run npm run docs:schemas when this fails)", () => {
    const files = schemaFiles();
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      expect(JSON.parse(readFileSync(path.join(root, "docs", "schemas", f.file), "utf8")), f.file).toEqual(JSON.parse(JSON.stringify(f.schema)));
    }
    const md = readFileSync(path.join(root, "docs", "protocol.md"), "utf8");
    expect(md.slice(md.indexOf(INDEX_START), md.indexOf(INDEX_END) + INDEX_END.length)).toBe(schemaIndex(files));
  });
});
