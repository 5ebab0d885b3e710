import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, resolveDataDir, statePath } from "../../lib/config.ts";
import { openDataDir } from "../../lib/data-dir.ts";

const scratch = () => mkdtempSync(path.join(tmpdir(), "panecast-datadir-"));

describe("resolveDataDir", () => {
  it("takes the configured dir, else $XDG_STATE_HOME/panecast, else ~/.local/state/panecast", () => {
    expect(resolveDataDir("rel/dir", {}, "/work")).toBe("/work/rel/dir");
    expect(resolveDataDir(null, { XDG_STATE_HOME: "/x/state", HOME: "/home/u" }, "/work")).toBe("/x/state/panecast");
    // A relative XDG_STATE_HOME is invalid per the spec, and ignored.
    expect(resolveDataDir(null, { XDG_STATE_HOME: "state", HOME: "/home/u" }, "/work")).toBe("/home/u/.local/state/panecast");
    expect(resolveDataDir(null, { HOME: "/home/u" }, "/work")).toBe("/home/u/.local/state/panecast");
  });

  it("puts every state file there unless a path is set, whatever the working directory", () => {
    const a = loadConfig({ argv: [], env: { HOME: "/home/u" }, cwd: scratch() });
    const b = loadConfig({ argv: [], env: { HOME: "/home/u" }, cwd: scratch() });
    expect(a.data_dir).toBe("/home/u/.local/state/panecast");
    expect(a.auth.tokens_path).toBe(statePath(a.data_dir, "tokens.json"));
    expect(a.audit.path).toBe(statePath(a.data_dir, "audit.jsonl"));
    expect(b.auth.tokens_path).toBe(a.auth.tokens_path);
    const flag = loadConfig({ argv: ["--data-dir", "/srv/pc"], env: { PANECAST_DATA_DIR: "/env/pc", HOME: "/home/u" }, cwd: "/" });
    expect(flag.auth.tokens_path).toBe("/srv/pc/tokens.json");
    expect(loadConfig({ argv: [], env: { PANECAST_DATA_DIR: "/env/pc" }, cwd: "/" }).audit.path).toBe("/env/pc/audit.jsonl");
    expect(loadConfig({ argv: ["--tokens", "t.json"], env: { PANECAST_DATA_DIR: "/env/pc" }, cwd: "/w" }).auth.tokens_path).toBe("/w/t.json");
  });
});

describe("openDataDir", () => {
  it("creates the directory with mode 0700", () => {
    const dir = path.join(scratch(), "a", "panecast");
    expect(openDataDir(dir, scratch())).toEqual([]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("moves ./.panecast into it once, with a message, files 0600", () => {
    const cwd = scratch();
    const dir = path.join(scratch(), "panecast");
    mkdirSync(path.join(cwd, ".panecast"));
    writeFileSync(path.join(cwd, ".panecast", "tokens.json"), '{"tokens":[]}', { mode: 0o644 });
    writeFileSync(path.join(cwd, ".panecast", "audit.jsonl"), "{}\n");
    const said = openDataDir(dir, cwd);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/moved (audit\.jsonl, tokens\.json|tokens\.json, audit\.jsonl) from .*\.panecast to the data directory/);
    expect(readFileSync(path.join(dir, "tokens.json"), "utf8")).toBe('{"tokens":[]}');
    expect(statSync(path.join(dir, "tokens.json")).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(cwd, ".panecast"))).toBe(false);
    expect(openDataDir(dir, cwd)).toEqual([]);
  });

  it("leaves a legacy file alone when the data directory already has one, and says so", () => {
    const cwd = scratch();
    const dir = scratch();
    writeFileSync(path.join(dir, "tokens.json"), "new");
    mkdirSync(path.join(cwd, ".panecast"));
    writeFileSync(path.join(cwd, ".panecast", "tokens.json"), "old");
    const said = openDataDir(dir, cwd);
    expect(said[0]).toMatch(/left tokens\.json in .*already in/);
    expect(readFileSync(path.join(dir, "tokens.json"), "utf8")).toBe("new");
    expect(readFileSync(path.join(cwd, ".panecast", "tokens.json"), "utf8")).toBe("old");
  });
});
