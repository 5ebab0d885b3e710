import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const BIN = path.resolve("bin/panecast.js");
const scratch = () => mkdtempSync(path.join(tmpdir(), "panecast-migrate-"));

/** The compiled CLI, run from `cwd`, with a scratch data directory and no settings file. */
async function panecast(args: string[], cwd: string, dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, PANECAST_CONFIG: "", PANECAST_DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A `.panecast/` planted where someone runs panecast, with a token file naming a planted admin. */
function planted(): string {
  const cwd = scratch();
  mkdirSync(path.join(cwd, ".panecast"), { mode: 0o700 });
  const tokens = { version: 1, tokens: [{ id: "planted", name: "planted-admin", role: "admin", hash: "0".repeat(64), created: new Date().toISOString() }] };
  writeFileSync(path.join(cwd, ".panecast", "tokens.json"), JSON.stringify(tokens), { mode: 0o600 });
  return cwd;
}

describe("state of an older panecast", () => {
  it("is never adopted by token list (or any command but migrate)", async () => {
    const cwd = planted();
    const dataDir = path.join(scratch(), "state");
    const r = await panecast(["token", "list"], cwd, dataDir);
    expect(r.stdout).not.toContain("planted-admin");
    expect(r.stderr).toContain("panecast migrate");
    expect(existsSync(path.join(dataDir, "tokens.json")) && readFileSync(path.join(dataDir, "tokens.json"), "utf8").includes("planted")).toBe(false);
    expect(existsSync(path.join(cwd, ".panecast", "tokens.json"))).toBe(true);
  });

  it("moves with panecast migrate, which prints each file it moves", async () => {
    const cwd = planted();
    const dataDir = path.join(scratch(), "state");
    const r = await panecast(["migrate"], cwd, dataDir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`moved ${path.join(cwd, ".panecast", "tokens.json")} -> ${path.join(dataDir, "tokens.json")}`);
    expect(r.stdout).toContain("1 file moved, 0 left");
    expect(readFileSync(path.join(dataDir, "tokens.json"), "utf8")).toContain("planted-admin");
    expect(existsSync(path.join(cwd, ".panecast"))).toBe(false);
  });
});
