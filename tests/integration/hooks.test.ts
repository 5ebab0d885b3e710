import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { AgentState, AgentStatus } from "../../lib/protocol.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { client, startPanecast, type TestClient } from "../helpers/server.ts";
import { freshName, TestTmux, until } from "../helpers/tmux.ts";

const execFileP = promisify(execFile);
const scratchAuditDir = mkdtempSync(path.join(tmpdir(), "panecast-hooks-audit-"));
/**
 * The panecast CLI; its audit log goes to a scratch folder unless `env` says where. With `--tokens`,
 * its data directory is the token file's, where the server under test (given only a token file) keeps
 * its state too.
 */
const run = (file: string, args: string[], env: Record<string, string> = {}) => {
  const t = args.indexOf("--tokens");
  const dataDir = t === -1 ? {} : { PANECAST_DATA_DIR: path.dirname(args[t + 1]!) };
  return execFileP(file, args, { env: { ...process.env, PANECAST_AUDIT: path.join(scratchAuditDir, "audit.jsonl"), ...dataDir, ...env } });
};
const BIN = path.resolve("bin/panecast.js");
const FIXTURES = path.resolve("tests/fixtures/hooks");
const tmux = new TestTmux();
const open: TestClient[] = [];
let app: PanecastApp;
let url: string;
let tokens: string;
let pane: string;
let other: string;
let admin: string;
let settingsFile: string;
let tmuxEnv: string;

/** The $TMUX a program in `p` sees: socket path, server pid, session number. */
async function tmuxVarOf(p: string): Promise<string> {
  return (await tmux.tmux("display-message", "-p", "-t", p, "#{socket_path},#{pid},#{session_id}")).trim().replace(",$", ",");
}

/** Runs a hook command as Claude Code does: through a shell, the event JSON on stdin, in the pane's env. */
function runHook(command: string, stdin: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", args.length ? `${command} ${args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ")}` : command], {
      // Only what an agent's shell would pass on: no test runner variables.
      env: { NODE_ENV: "production", PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["pipe", "pipe", "inherit"],
      // The hook promises to be done within 2 s; the margin is for starting node on a busy machine.
      timeout: 4000,
    });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
    child.stdin.end(stdin);
  });
}

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, `${name}.json`), "utf8");
}

async function post(body: unknown, token: string | null, base = url): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/agent-signals`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  pane = await tmux.newSession("agents");
  other = await tmux.newSession("private");
  // Hooks hold against the screen for the whole test here; the fallback has its own server below.
  const s = await startWithAuth(tmux, "agents:\n  hook_quiet_ms: 600000\n");
  ({ app, url } = s);
  tokens = s.tokens;
  admin = app.bootstrapToken!;
  settingsFile = path.join(mkdtempSync(path.join(tmpdir(), "panecast-claude-")), "settings.json");
  writeFileSync(settingsFile, JSON.stringify({ model: "opus", hooks: { Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }] } }));
  tmuxEnv = await tmuxVarOf(pane);
  await until(() => app.awareness.monitor.status(pane), "the pane's first state");
});

afterAll(async () => {
  for (const c of open) c.close();
  await app?.close();
  await tmux.kill();
});

describe("panecast hooks install claude", () => {
  let command: string;

  it("merges a command hook for every event, keeps the rest, and changes nothing the second time", async () => {
    await run(process.execPath, [BIN, "hooks", "install", "claude", "--settings", settingsFile, "--tokens", tokens, "--url", url]);
    const first = readFileSync(settingsFile, "utf8");
    const settings = JSON.parse(first) as { model: string; hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ type: string; command: string }> }>> };
    expect(settings.model).toBe("opus");
    expect(settings.hooks.Stop![0]!.hooks[0]!.command).toBe("notify-send done");
    const events = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "PostToolUseFailure", "PermissionDenied", "SubagentStart", "SubagentStop", "Notification", "PermissionRequest", "Stop", "StopFailure", "SessionEnd"];
    expect(Object.keys(settings.hooks).sort()).toEqual([...events].sort());
    const commands = new Set(events.map((e) => settings.hooks[e]!.at(-1)!.hooks[0]!.command));
    expect(commands.size).toBe(1);
    command = [...commands][0]!;
    expect(command).toMatch(/^node \/\S+\/bin\/panecast\.js hook claude --state \S+$/);
    expect(settings.hooks.PreToolUse!.at(-1)!.matcher).toBe("*");
    expect(settings.hooks.Stop!.at(-1)!.hooks[0]!.type).toBe("command");

    // The token the hook posts with: an agent token, in a 0600 file beside the token file.
    const credsFile = path.join(path.dirname(tokens), "agent-hook.json");
    expect(statSync(credsFile).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(readFileSync(credsFile, "utf8")) as { url: string; token: string };
    // The running server follows the token file.
    expect((await until(() => app.auth.tokens!.verify(creds.token), "the server knowing the agent token")).role).toBe("agent");

    await run(process.execPath, [BIN, "hooks", "install", "claude", "--settings", settingsFile, "--tokens", tokens, "--url", url]);
    expect(readFileSync(settingsFile, "utf8")).toBe(first);
    expect(app.auth.tokens!.list().filter((t) => t.role === "agent")).toHaveLength(1);
  });

  it("runs each event's command as Claude Code would, and clients see the hook's state", async () => {
    const watcher = await client(url, { token: admin });
    open.push(watcher);
    const seen: AgentStatus[] = [];
    watcher.pushes.on("agent:status", (s: AgentStatus) => {
      if (s.pane === pane) seen.push(s);
    });
    await watcher.sessions;
    const env = { TMUX: tmuxEnv, TMUX_PANE: pane };
    const steps: Array<[string, AgentState | null]> = [
      ["claude-SessionStart", null],
      ["claude-UserPromptSubmit", "working"],
      ["claude-PreToolUse", "working"],
      ["claude-Notification-permission_prompt", "waiting-for-input"],
      ["claude-PostToolUse", "working"],
      ["claude-PermissionRequest", "waiting-for-input"],
      ["claude-Notification-idle_prompt", "waiting-for-input"],
      ["claude-Stop", "idle"],
      ["claude-Notification-elicitation_dialog", "waiting-for-input"],
      ["claude-StopFailure", "error"],
      ["claude-SessionEnd", "exited"],
    ];
    for (const [name, expected] of steps) {
      const r = await runHook(command, fixture(name), env);
      expect(r, name).toEqual({ code: 0, stdout: "" });
      if (expected === null) {
        expect(app.awareness.monitor.status(pane)?.source, name).toBe("screen");
        continue;
      }
      const got = await until(() => seen.findLast((s) => s.state === expected && s.source === "hook") ?? (app.awareness.monitor.status(pane)?.state === expected ? app.awareness.monitor.status(pane) : null), `${name} → ${expected}`);
      expect(got.state, name).toBe(expected);
      expect(app.awareness.monitor.status(pane), name).toMatchObject({ state: expected, source: "hook" });
    }
    // Every change reached the client, in order, each marked as coming from the hook.
    await until(() => seen.filter((s) => s.source === "hook").length >= 8, "every change on the client");
    const changes = seen.filter((s) => s.source === "hook").map((s) => s.state);
    expect(changes).toEqual(["working", "waiting-for-input", "working", "waiting-for-input", "idle", "waiting-for-input", "error", "exited"]);
    expect(seen.find((s) => s.state === "error")?.line).toContain("rate_limit");
  });

  it("exits 0 at once, printing nothing, when the server is down or never answers", async () => {
    // A server that takes the connection and never answers: the hook gives up by itself.
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const stateDir = mkdtempSync(path.join(tmpdir(), "panecast-hookstate-"));
    writeFileSync(path.join(stateDir, "agent-hook.json"), JSON.stringify({ url: silentUrl, token: null }), { mode: 0o600 });
    const cmd = `${BIN} hook claude --state ${stateDir}`;
    const env = { TMUX: tmuxEnv, TMUX_PANE: pane };
    try {
      expect(await runHook(cmd, fixture("claude-Stop"), env)).toEqual({ code: 0, stdout: "" });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
    // Nobody listening at all now.
    expect(await runHook(cmd, fixture("claude-Stop"), env)).toEqual({ code: 0, stdout: "" });
    const log = readFileSync(path.join(stateDir, "hook.log"), "utf8").trim().split("\n");
    expect(log).toHaveLength(2);
    expect(log.every((l) => /claude (failed: |gave up)/.test(l))).toBe(true);
  });

  it("uninstall removes exactly what install added", async () => {
    await run(process.execPath, [BIN, "hooks", "uninstall", "claude", "--settings", settingsFile, "--tokens", tokens]);
    expect(JSON.parse(readFileSync(settingsFile, "utf8"))).toEqual({ model: "opus", hooks: { Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }] } });
  });
});

describe("the agent role and POST /api/agent-signals", () => {
  let agentToken: string;
  const signal = (p: string, event = "UserPromptSubmit") => ({ agent: "claude", pane: p, socket: tmuxEnv.split(",")[0], event });

  beforeAll(() => {
    agentToken = app.auth.tokens!.create({ name: "agents-only", role: "agent", sessions: ["agents"] }).token;
  });

  it("an agent token opens nothing else: no socket, no read route, no login", async () => {
    await expect(client(url, { token: agentToken })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    expect((await fetch(`${url}/api/sessions`, { headers: { authorization: `Bearer ${agentToken}` } })).status).toBe(401);
    const login = await fetch(`${url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: agentToken }) });
    expect(login.status).toBe(401);
    expect(login.headers.get("set-cookie")).toBeNull();
  });

  it("posts only for panes of its sessions on this tmux server, and only agent or admin tokens post", async () => {
    // Another session's pane is answered exactly as a pane that does not exist.
    const outside = await post(signal(other), agentToken);
    expect(outside).toEqual(await post(signal("%99999"), agentToken));
    expect(outside).toMatchObject({ status: 404, json: { error: { code: "PANE_NOT_FOUND" } } });
    expect(app.awareness.monitor.status(other)?.source).toBe("screen");
    const viewer = app.auth.tokens!.create({ name: freshName("a-viewer"), role: "viewer" }).token;
    expect((await post(signal(pane), viewer)).status).toBe(401);
    expect((await post(signal(pane), null)).status).toBe(401);
    expect((await post({ ...signal(pane), socket: "/tmp/some-other-tmux/default" }, agentToken)).json).toMatchObject({ error: { code: "PANE_NOT_FOUND" } });
    expect((await post({ ...signal(pane), pane: "3; rm -rf /" }, agentToken)).json).toMatchObject({ error: { code: "BAD_REQUEST" } });
    expect((await post({ ...signal(pane), agent: "cursor" }, agentToken)).json).toMatchObject({ error: { code: "BAD_REQUEST" } });
    const ok = await post(signal(pane), agentToken);
    expect(ok).toEqual({ status: 200, json: { data: { accepted: true, state: "working" } } });
    expect(app.awareness.monitor.status(pane)).toMatchObject({ state: "working", source: "hook" });
    expect((await post(signal(pane, "SessionStart"), agentToken)).json).toEqual({ data: { accepted: false, state: null } });
  });

  it("refuses a body over its bound without changing anything", async () => {
    const res = await fetch(`${url}/api/agent-signals`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${agentToken}` },
      body: JSON.stringify({ ...signal(pane, "Stop"), detail: "x".repeat(64 * 1024) }),
    });
    expect(res.status).toBe(400);
    expect(app.awareness.monitor.status(pane)?.state).toBe("working");
  });
});

describe("hooks install before the first start", () => {
  it("still leaves the first start its admin token (an agent token lets nobody in)", async () => {
    const d = mkdtempSync(path.join(tmpdir(), "panecast-fresh-"));
    const freshTokens = path.join(d, "tokens.json");
    await run(process.execPath, [BIN, "hooks", "install", "claude", "--settings", path.join(d, "settings.json"), "--tokens", freshTokens]);
    const s = await startPanecast(tmux, [], { PANECAST_AUTH: "on", PANECAST_TOKENS: freshTokens });
    try {
      expect(s.app.bootstrapToken).toMatch(/^pc_/);
      expect(s.app.auth.tokens!.list().map((t) => t.role).sort()).toEqual(["admin", "agent"]);
    } finally {
      await s.app.close();
    }
  });
});

describe("the hooks' agent token", () => {
  it("is kept for the same --sessions, and replaced (the old one revoked) for others", async () => {
    const d = mkdtempSync(path.join(tmpdir(), "panecast-agenttoken-"));
    const t = path.join(d, "tokens.json");
    const install = (globs: string) =>
      run(process.execPath, [BIN, "hooks", "install", "claude", "--settings", path.join(d, "s.json"), "--tokens", t, "--sessions", globs], { PANECAST_AUDIT: path.join(d, "audit.jsonl") });
    const stored = () => (JSON.parse(readFileSync(path.join(d, "agent-hook.json"), "utf8")) as { token: string }).token;
    const agents = () => (JSON.parse(readFileSync(t, "utf8")) as { tokens: Array<{ role: string; sessions: string[] | null }> }).tokens.filter((x) => x.role === "agent");
    await install("build-*");
    const first = stored();
    await install("build-*");
    expect(stored()).toBe(first);
    await install("build-*,deploy");
    expect(stored()).not.toBe(first);
    expect(agents()).toEqual([expect.objectContaining({ sessions: ["build-*", "deploy"] })]);
    expect(readFileSync(path.join(d, "audit.jsonl"), "utf8")).toContain('"event":"token.revoke"');
  });
});

describe("a pane the server has not read yet", () => {
  it("takes an agent's first signal from a pane made after the last topology read", async () => {
    const t2 = new TestTmux();
    await t2.newSession("first");
    // Polling once a minute: the server cannot have read the new pane's topology by itself.
    const s = await startWithAuth(t2, "watch:\n  mode: poll\npoll:\n  base_interval_ms: 60000\n  max_interval_ms: 60000\n");
    try {
      const p = await t2.newSession("new-agent");
      expect(s.app.tracker.pane(p)).toBeUndefined();
      const socket = (await t2.tmux("display-message", "-p", "-t", p, "#{socket_path}")).trim();
      const r = await post({ agent: "claude", pane: p, socket, event: "UserPromptSubmit" }, s.app.bootstrapToken!, s.url);
      expect(r).toEqual({ status: 200, json: { data: { accepted: true, state: "working" } } });
      // The route read the topology again: the pane is known now, and its hook state waits for its first screen.
      expect(s.app.tracker.pane(p)).toMatchObject({ id: p, sessionName: "new-agent" });
    } finally {
      await s.app.close();
      await t2.kill();
    }
  });
});

describe("a hook state has a bounded life", () => {
  it("a hook's working ends after hook_quiet_ms with no newer event", async () => {
    const t2 = new TestTmux();
    const p = await t2.newSession("quiet");
    const s = await startWithAuth(t2, "agents:\n  hook_quiet_ms: 300\n");
    try {
      await until(() => s.app.awareness.monitor.status(p), "first state");
      const c = await client(s.url, { token: s.app.bootstrapToken! });
      open.push(c);
      const seen: AgentStatus[] = [];
      c.pushes.on("agent:status", (st: AgentStatus) => st.pane === p && seen.push(st));
      const states: AgentStatus[] = [];
      s.app.awareness.monitor.on("status", (st) => st.pane === p && states.push(st));
      await c.sessions;
      const socket = (await t2.tmux("display-message", "-p", "-t", p, "#{socket_path}")).trim();
      const r = await post({ agent: "claude", pane: p, socket, event: "UserPromptSubmit" }, s.app.bootstrapToken!, s.url);
      expect(r.status).toBe(200);
      // The screen (a shell at its prompt: decisively idle) wins once the signal is older than 300 ms.
      // Once the hook's life (300 ms) ends with no newer event, the pane is what /proc says: a shell,
      // so quiet (never an agent state).
      // The states as the monitor decided them: a client's batch holds only the latest state of a
      // pane, so on a loaded machine one batch may carry the quiet state alone (and a quiet state from
      // before the hook may still be on its way to the client).
      await until(() => states.find((st) => st.source === "screen" && st.state === "quiet"), "the screen taking over");
      expect(states.map((st) => `${st.state}/${st.source}/${st.agentType}`)).toEqual(["working/hook/claude", "quiet/screen/shell"]);
      const alertsBefore = s.app.awareness.events.since(undefined).events.filter((e) => e.type === "pane.alert").length;
      await post({ agent: "claude", pane: p, socket, event: "Stop" }, s.app.bootstrapToken!, s.url);
      const idle = await until(() => seen.find((st) => st.source === "hook" && st.state === "idle"), "the hook's idle");
      expect(idle.previous).toBe("quiet");
      expect(s.app.awareness.events.since(undefined).events.filter((e) => e.type === "pane.alert").length).toBe(alertsBefore);
    } finally {
      await s.app.close();
      await t2.kill();
    }
  });
});

describe("panecast hooks install codex and gemini", () => {
  it("codex: a notify program in config.toml before the first table; uninstall restores the file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "panecast-codex-"));
    const file = path.join(dir, "config.toml");
    const original = 'model = "gpt-5-codex"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\n';
    writeFileSync(file, original);
    await run(process.execPath, [BIN, "hooks", "install", "codex", "--codex-config", file, "--tokens", tokens, "--url", url]);
    const text = readFileSync(file, "utf8");
    const line = text.split("\n").find((l) => l.startsWith("notify = "))!;
    expect(text.indexOf(line)).toBeLessThan(text.indexOf("[mcp_servers.docs]"));
    const argv = JSON.parse(line.slice("notify = ".length)) as string[];
    expect(argv[0]).toBe("node");
    expect(argv.slice(2, 4)).toEqual(["hook", "codex"]);
    // Codex runs the program with its notification JSON as the last argument.
    const [prog, ...args] = argv;
    const r = await runHook(`'${prog}'`, "", { TMUX: tmuxEnv, TMUX_PANE: pane }, [...args, fixture("codex-agent-turn-complete").trim()]);
    expect(r).toEqual({ code: 0, stdout: "" });
    await until(() => app.awareness.monitor.status(pane)?.state === "idle", "codex's turn complete → idle");
    expect(app.awareness.monitor.status(pane)?.source).toBe("hook");
    await run(process.execPath, [BIN, "hooks", "uninstall", "codex", "--codex-config", file, "--tokens", tokens]);
    expect(readFileSync(file, "utf8")).toBe(original);
  });

  it("codex: a foreign notify program is left alone and reported; the hooks engine reports instead", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "panecast-codex-"));
    const file = path.join(dir, "config.toml");
    writeFileSync(file, 'notify = ["notify-send", "codex"]\n');
    const r = await run(process.execPath, [BIN, "hooks", "install", "codex", "--codex-config", file, "--tokens", tokens, "--url", url]);
    expect(r.stderr).toContain("notify program already");
    const text = readFileSync(file, "utf8");
    expect(text.split("\n")[0]).toBe('notify = ["notify-send", "codex"]');
    expect(text).toMatch(/^\[features\].*\ncodex_hooks = true/m);
    // hooks.json next to config.toml: Codex's hooks engine, each event's JSON on stdin.
    const hooks = JSON.parse(readFileSync(path.join(dir, "hooks.json"), "utf8")) as { hooks: Record<string, Array<{ hooks: Array<{ command: string }> }>> };
    expect(Object.keys(hooks.hooks).sort()).toEqual(["PermissionRequest", "PostToolUse", "PreToolUse", "SessionStart", "Stop", "UserPromptSubmit"]);
    const command = hooks.hooks.PermissionRequest![0]!.hooks[0]!.command;
    expect(command).toMatch(/panecast\.js hook codex --state /);
    const payload = JSON.stringify({ hook_event_name: "PermissionRequest", session_id: "codex-thread-1", tool_name: "Bash" });
    expect(await runHook(command, payload, { TMUX: tmuxEnv, TMUX_PANE: pane })).toEqual({ code: 0, stdout: "" });
    await until(() => app.awareness.monitor.status(pane)?.state === "waiting-for-input", "codex's permission request → waiting");
    await run(process.execPath, [BIN, "hooks", "uninstall", "codex", "--codex-config", file, "--tokens", tokens]);
    expect(readFileSync(file, "utf8")).toBe('notify = ["notify-send", "codex"]\n');
  });

  it("gemini: hooks in the project's .gemini/settings.json; a permission notification waits for input", async () => {
    const project = mkdtempSync(path.join(tmpdir(), "panecast-gemini-"));
    await run(process.execPath, [BIN, "hooks", "install", "gemini", "--project", project, "--tokens", tokens, "--url", url]);
    const file = path.join(project, ".gemini", "settings.json");
    const settings = JSON.parse(readFileSync(file, "utf8")) as { hooks: Record<string, Array<{ hooks: Array<{ command: string; name: string }> }>> };
    expect(Object.keys(settings.hooks).sort()).toEqual(["AfterAgent", "AfterTool", "BeforeAgent", "Notification", "SessionEnd", "SessionStart"]);
    const command = settings.hooks.Notification![0]!.hooks[0]!.command;
    // node named in the command: the bin's shebang flag slows the hook's start-up.
    expect(command).toMatch(/^node \S+\/bin\/panecast\.js hook gemini --state /);
    expect(settings.hooks.Notification![0]!.hooks[0]!.name).toBe("panecast");
    const env = { TMUX: tmuxEnv, TMUX_PANE: pane };
    expect(await runHook(command, fixture("gemini-BeforeAgent"), env)).toEqual({ code: 0, stdout: "" });
    await until(() => app.awareness.monitor.status(pane)?.state === "working", "BeforeAgent → working");
    expect(await runHook(command, fixture("gemini-Notification-ToolPermission"), env)).toEqual({ code: 0, stdout: "" });
    await until(() => app.awareness.monitor.status(pane)?.state === "waiting-for-input", "ToolPermission → waiting");
    expect(await runHook(command, fixture("gemini-AfterAgent"), env)).toEqual({ code: 0, stdout: "" });
    await until(() => app.awareness.monitor.status(pane)?.state === "idle", "AfterAgent → idle");
    await run(process.execPath, [BIN, "hooks", "uninstall", "gemini", "--project", project, "--tokens", tokens]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({});
    expect(existsSync(file)).toBe(true);
  });
});
