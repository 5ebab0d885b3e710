import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, resolveDataDir, statePath } from "../../lib/config.ts";
import { migrateLegacy, openDataDir } from "../../lib/data-dir.ts";

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

  it("sets an existing 0755 directory to 0700, and says so", () => {
    const dir = scratch();
    chmodSync(dir, 0o755);
    expect(openDataDir(dir, scratch())).toEqual([`panecast: the data directory ${dir} was mode 0755; set it to 0700 (it holds tokens and keys)`]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("never moves ./.panecast in: it only points at panecast migrate", () => {
    const cwd = scratch();
    const dir = path.join(scratch(), "panecast");
    mkdirSync(path.join(cwd, ".panecast"));
    writeFileSync(path.join(cwd, ".panecast", "tokens.json"), '{"tokens":[]}');
    const said = openDataDir(dir, cwd);
    expect(said).toEqual([expect.stringContaining("run 'panecast migrate' here")]);
    expect(existsSync(path.join(dir, "tokens.json"))).toBe(false);
    expect(existsSync(path.join(cwd, ".panecast", "tokens.json"))).toBe(true);
  });
});

describe("migrateLegacy", () => {
  it("moves the user's own state files into new 0600 files and removes ./.panecast", () => {
    const cwd = scratch();
    const dir = scratch();
    mkdirSync(path.join(cwd, ".panecast"), { mode: 0o700 });
    writeFileSync(path.join(cwd, ".panecast", "tokens.json"), '{"tokens":[]}', { mode: 0o644 });
    writeFileSync(path.join(cwd, ".panecast", "audit.jsonl"), "{}\n");
    expect(migrateLegacy(path.join(cwd, ".panecast"), dir)).toEqual({ moved: ["audit.jsonl", "tokens.json"], refused: [] });
    expect(readFileSync(path.join(dir, "tokens.json"), "utf8")).toBe('{"tokens":[]}');
    expect(statSync(path.join(dir, "tokens.json")).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(cwd, ".panecast"))).toBe(false);
    expect(migrateLegacy(path.join(cwd, ".panecast"), dir)).toEqual({ moved: [], refused: [] });
  });

  it("never follows a symlink: a planted hook.log link is left, and its target keeps its mode", () => {
    const cwd = scratch();
    const dir = scratch();
    const target = path.join(scratch(), "victim");
    writeFileSync(target, "x", { mode: 0o644 });
    chmodSync(target, 0o644);
    mkdirSync(path.join(cwd, ".panecast"), { mode: 0o700 });
    symlinkSync(target, path.join(cwd, ".panecast", "hook.log"));
    const r = migrateLegacy(path.join(cwd, ".panecast"), dir);
    expect(r).toEqual({ moved: [], refused: [{ name: "hook.log", why: "a symlink" }] });
    expect(existsSync(path.join(dir, "hook.log"))).toBe(false);
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it("refuses a ./.panecast that is a symlink, files others may write, unknown names, and files the data directory has", () => {
    const cwd = scratch();
    const elsewhere = scratch();
    writeFileSync(path.join(elsewhere, "tokens.json"), "planted");
    symlinkSync(elsewhere, path.join(cwd, ".panecast"));
    const dir = scratch();
    expect(migrateLegacy(path.join(cwd, ".panecast"), dir).refused).toEqual([{ name: ".", why: "not a directory (a symlink is never followed)" }]);
    expect(existsSync(path.join(dir, "tokens.json"))).toBe(false);

    const cwd2 = scratch();
    mkdirSync(path.join(cwd2, ".panecast"), { mode: 0o700 });
    writeFileSync(path.join(cwd2, ".panecast", "tokens.json"), "planted");
    chmodSync(path.join(cwd2, ".panecast", "tokens.json"), 0o666);
    writeFileSync(path.join(cwd2, ".panecast", "evil.sh"), "x");
    writeFileSync(path.join(cwd2, ".panecast", "session.key"), "old");
    writeFileSync(path.join(dir, "session.key"), "new");
    expect(migrateLegacy(path.join(cwd2, ".panecast"), dir).refused).toEqual([
      { name: "evil.sh", why: "not a panecast state file" },
      { name: "session.key", why: "the data directory already has one" },
      { name: "tokens.json", why: "writable by others" },
    ]);
    expect(readFileSync(path.join(dir, "session.key"), "utf8")).toBe("new");
    expect(existsSync(path.join(dir, "tokens.json"))).toBe(false);
  });
});
