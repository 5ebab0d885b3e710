import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../lib/config.ts";
import { documentsOf } from "../../../lib/dashboard/documents-of.ts";

describe("documentsOf", () => {
  it("names each dashboard and the history file, and never serves panecast's own secrets as one", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "panecast-docs-of-"));
    writeFileSync(path.join(dir, "status.md"), "# All green");
    mkdirSync(path.join(dir, "secrets"));
    writeFileSync(path.join(dir, "secrets", "tokens.json"), JSON.stringify({ secret: "do-not-show-0xC0FFEE" }));
    writeFileSync(
      path.join(dir, "panecast.yaml"),
      ["data_dir: ./data", "dashboards:", "  - { name: status, path: ./status.md }", "  - { name: keys, path: ./secrets/tokens.json }", "auth:", "  tokens_path: ./secrets/tokens.json"].join("\n"),
    );
    const docs = documentsOf(loadConfig({ argv: [], env: {}, cwd: dir }));
    try {
      expect(docs.list().map((d) => [d.kind, d.name])).toEqual([["markdown", "status"], ["markdown", "keys"], ["history", "history"]]);
      expect(JSON.stringify(await docs.payload("status"))).toContain("All green");
      expect(JSON.stringify(await docs.payload("keys"))).not.toContain("0xC0FFEE");
    } finally {
      docs.stop();
    }
  });
});
