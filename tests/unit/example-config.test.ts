import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../lib/config.ts";

const example = path.resolve(import.meta.dirname, "../../config/panecast.example.yaml");

describe("config/panecast.example.yaml", () => {
  it("documents every key, with the defaults panecast actually uses", () => {
    const doc = parse(readFileSync(example, "utf8")) as Record<string, unknown>;
    // config_file says which file was read: not a setting.
    const { config_file: _none, ...defaults } = loadConfig({ argv: [], env: {}, cwd: path.dirname(example) }) as unknown as Record<string, unknown>;
    const { config_file: read, ...fromFile } = loadConfig({ argv: ["--config", example], env: {}, cwd: path.dirname(example) }) as unknown as Record<string, unknown>;
    expect(read).toBe(example);
    expect(Object.keys(doc).sort()).toEqual(Object.keys(defaults).sort());
    for (const [section, value] of Object.entries(defaults)) {
      if (value && typeof value === "object" && !Array.isArray(value)) {
        expect(Object.keys(doc[section] as object).sort(), section).toEqual(Object.keys(value).sort());
      }
    }
    expect(fromFile).toEqual(defaults);
  });
});
