import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const BIN = path.resolve("bin/panecast.js");
const scratch = () => mkdtempSync(path.join(tmpdir(), "panecast-cli-"));

/** The compiled CLI, with a scratch data directory and no settings file. */
async function panecast(args: string[], dataDir = scratch()): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, PANECAST_CONFIG: "", PANECAST_DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("a strict CLI", () => {
  it.each([
    [["send", "%1", "hello", "--frobnicate"], "panecast send: unknown option --frobnicate", "usage: panecast send"],
    [["watch", "--session", "a"], "panecast watch: unknown option --session", "usage: panecast watch"],
    [["status", "--jsn"], "panecast status: unknown option --jsn", "usage: panecast status"],
    [["token", "create", "--name"], "panecast token: option --name needs a value", "usage:"],
    [["token", "create", "--name", "--role", "viewer"], "panecast token: option --name needs a value", "usage:"],
    [["start", "--port"], "panecast start: option --port needs a value", "usage: panecast start"],
    [["status", "extra"], "panecast status: unexpected argument 'extra'", "usage: panecast status"],
    [["status", "--json=yes"], "panecast status: option --json takes no value", "usage: panecast status"],
    [["hooks", "install", "claude", "--setings", "x.json"], "panecast hooks: unknown option --setings", "usage:"],
    [["hooks", "install", "claude", "--url"], "panecast hooks: option --url needs a value", "usage:"],
    [["hooks", "install"], "panecast hooks: missing argument", "usage:"],
    [["hooks", "install", "claude", "extra"], "panecast hooks: unexpected argument 'extra'", "usage:"],
    [["hooks", "install", "vim"], "panecast hooks: unknown agent 'vim': expected claude, gemini or codex", "usage:"],
    [["hooks", "reinstall", "claude"], "panecast hooks: unknown subcommand 'reinstall': expected install or uninstall", "usage:"],
    [["token", "rotate-key", "--force"], "panecast token: unknown option --force", "usage:"],
    [["token", "rotate-key", "now"], "panecast token: unexpected argument 'now'", "usage:"],
  ])("%j exits 2 with one line and the command's usage", async (args, line, usage) => {
    const r = await panecast(args);
    expect(r.code).toBe(2);
    const [first, second] = r.stderr.split("\n");
    expect(first).toBe(line);
    expect(second).toContain(usage);
    expect(r.stdout).toBe("");
  });

  it("takes --name=value as well as --name value, with the same --sessions as everywhere", async () => {
    const dir = scratch();
    const made = await panecast(["token", "create", "--name=ci", "--role=viewer", "--sessions=agents,build"], dir);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^pc_[0-9a-f]{16}_/);
    const listed = await panecast(["token", "list", "--json"], dir);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: "ci", role: "viewer", sessions: ["agents", "build"] }]);
  });

  it("answers --version and --help, for the program and for a command", async () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect((await panecast(["--version"])).stdout.trim()).toBe(pkg.version);
    const help = await panecast(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["start", "demo", "status", "token", "watch", "send", "hooks", "hook", "doctor"]) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    const tokenHelp = await panecast(["token", "--help"]);
    expect(tokenHelp.code).toBe(0);
    expect(tokenHelp.stdout).toContain("panecast token create --name NAME");
    expect(tokenHelp.stdout).toContain("panecast token rotate-key");
    const hooksHelp = await panecast(["hooks", "--help"]);
    expect(hooksHelp.code).toBe(0);
    expect(hooksHelp.stdout).toContain("panecast hooks install claude");
  });
});
