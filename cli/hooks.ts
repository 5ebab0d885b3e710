import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { AuditLog } from "../lib/auth/audit.ts";
import { TokenError } from "../lib/auth/tokens.ts";
import { loadConfig, type Config } from "../lib/config.ts";
import { openDataDir } from "../lib/data-dir.ts";
import { openTokens, Unreachable } from "./token-store.ts";
import { addNotify, enableHooksFeature, ForeignNotifyError, removeHooksFeature, removeNotify } from "../lib/hooks/codex-toml.ts";
import { ensureAgentToken, readCredentials, writeCredentials } from "../lib/hooks/credentials.ts";
import { addHooks, removeHooks, type HookSpec, type Settings } from "../lib/hooks/settings-json.ts";
import { PACKAGE_ROOT } from "../lib/package-root.ts";
import { CONFIG_OPTIONS, configArgv, list, parseCommand, str, UsageError, type CommandSpec } from "./args.ts";

const USAGE = `usage:
  panecast hooks install claude [--settings PATH | --project DIR] [--url URL] [--sessions GLOB,...]
  panecast hooks install gemini [--settings PATH | --project DIR] [--url URL] [--sessions GLOB,...]
  panecast hooks install codex [--codex-config PATH] [--url URL] [--sessions GLOB,...]   (notify and hooks.json)
  panecast hooks uninstall claude|gemini|codex [same paths]
(--sessions here is the agent token's scope; the settings flags, e.g. --data-dir, choose the state the hook uses)`;

/** install|uninstall and the agent are the two positionals. */
export const HOOKS: CommandSpec = {
  name: "hooks",
  usage: USAGE,
  options: { ...CONFIG_OPTIONS, settings: { type: "string" }, project: { type: "string" }, url: { type: "string" }, "codex-config": { type: "string" } },
  positionals: { min: 2, max: 2 },
};

const CLAUDE_EVENTS = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "PostToolUseFailure", "PermissionDenied", "SubagentStart", "SubagentStop", "Notification", "PermissionRequest", "Stop", "StopFailure", "SessionEnd"];
const CLAUDE_TOOL_EVENTS = ["PreToolUse", "PostToolUse", "PostToolUseFailure", "PermissionDenied", "PermissionRequest"];
/** Codex's hooks engine (hooks.json next to config.toml): Claude Code's shape and names, a JSON payload on stdin. */
const CODEX_EVENTS = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest", "PostToolUse", "Stop"];
/**
 * Not BeforeTool: Gemini CLI awaits its BeforeTool hooks (they may block the tool) before it asks for
 * a permission and fires Notification, so a hook there delayed the waiting state by a whole hook
 * process (and every tool call by as much); BeforeAgent already says working.
 */
const GEMINI_EVENTS = ["SessionStart", "BeforeAgent", "AfterTool", "AfterAgent", "Notification", "SessionEnd"];

/** Any panecast hook command, this install's or an older one's (another path, another state dir). */
const OURS = /panecast(\.js)?'?"?,?\s+"?hook"?,?\s+"?(claude|gemini|codex)\b/;

/** The panecast command, absolute (the agent runs it from any directory), from source or compiled alike. */
function panecastBin(): string {
  return realpathSync(path.join(PACKAGE_ROOT, "bin", "panecast.js"));
}

const shellQuote = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/**
 * `panecast hooks install|uninstall <agent>`: puts `panecast hook <agent>` into the agent CLI's own
 * settings, and an `agent` token (0600) in panecast's data directory for the hook to post with.
 */
export async function hooks(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(HOOKS, argv);
  const [sub, agent] = positionals;
  if (sub !== "install" && sub !== "uninstall") throw new UsageError(`unknown subcommand '${sub}': expected install or uninstall`, USAGE);
  if (agent !== "claude" && agent !== "gemini" && agent !== "codex") throw new UsageError(`unknown agent '${agent}': expected claude, gemini or codex`, USAGE);
  const { sessions: scope, ...others } = values;
  const config = loadConfig({ argv: configArgv(others) });
  for (const line of openDataDir(config.data_dir)) console.error(line);
  const flag = (name: string): string | undefined => str(values, name);
  const stateDir = config.data_dir;
  // node named here rather than through the bin's shebang: the shebang's --max-semi-space-size (for the
  // server's memory) costs the hook some 12 ms of start-up on every event (npm run bench:hook).
  const argvOfHook = ["node", panecastBin(), "hook", agent, "--state", stateDir];
  const command = argvOfHook.map(shellQuote).join(" ");
  try {
    if (agent === "codex") {
      const file = flag("codex-config") ?? path.join(process.env.CODEX_HOME || path.join(homedir(), ".codex"), "config.toml");
      let text = existsSync(file) ? readFileSync(file, "utf8") : "";
      let changed = false;
      try {
        const r = sub === "install" ? addNotify(text, argvOfHook, (l) => OURS.test(l)) : removeNotify(text, (l) => OURS.test(l));
        ({ text } = r);
        changed = r.changed;
      } catch (err) {
        // Codex runs one notify program: with a foreign one in place, the hooks engine alone reports.
        if (!(err instanceof ForeignNotifyError)) throw err;
        console.error(`panecast: ${err.message}; installing the hooks engine only`);
      }
      if (sub === "install") {
        const f = enableHooksFeature(text);
        if (f.off) console.error(`panecast: ${file} turns codex_hooks off: Codex will not run hooks.json until it is true`);
        text = f.text;
        changed ||= f.changed;
      } else {
        const f = removeHooksFeature(text);
        text = f.text;
        changed ||= f.changed;
      }
      if (changed) writeKeepingMode(file, text);
      report(sub, agent, file, changed);
      // hooks.json sits next to config.toml; Codex passes each event as JSON on stdin, as Claude Code does.
      const hooksFile = path.join(path.dirname(file), "hooks.json");
      const before: Settings = existsSync(hooksFile) ? parseSettings(hooksFile) : {};
      const spec: HookSpec = { command, events: CODEX_EVENTS, toolEvents: [], extra: { timeout: 5 }, isOurs: (c) => OURS.test(c) };
      const h = sub === "install" ? addHooks(before, spec) : removeHooks(before, spec.isOurs);
      if (h.changed) writeKeepingMode(hooksFile, `${JSON.stringify(h.settings, null, 2)}\n`);
      report(sub, agent, hooksFile, h.changed);
    } else {
      const file = settingsPath(agent, flag("settings"), flag("project"));
      const before: Settings = existsSync(file) ? parseSettings(file) : {};
      const spec: HookSpec = {
        command,
        events: agent === "claude" ? CLAUDE_EVENTS : GEMINI_EVENTS,
        toolEvents: agent === "claude" ? CLAUDE_TOOL_EVENTS : ["AfterTool"],
        // Claude Code's timeout is in seconds, Gemini CLI's in milliseconds; the hook gives up after 2 s anyway.
        extra: agent === "claude" ? { timeout: 5 } : { name: "panecast", timeout: 5000 },
        isOurs: (c) => OURS.test(c),
      };
      const r = sub === "install" ? addHooks(before, spec) : removeHooks(before, spec.isOurs);
      if (r.changed) writeKeepingMode(file, `${JSON.stringify(r.settings, null, 2)}\n`);
      report(sub, agent, file, r.changed);
    }
    if (sub === "install") await installCredentials(config, stateDir, flag("url"), list(typeof scope === "string" ? scope : undefined) ?? null);
    return 0;
  } catch (err) {
    if (err instanceof ForeignNotifyError || err instanceof TokenError || err instanceof SettingsError || err instanceof Unreachable) {
      console.error(`panecast: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

class SettingsError extends Error {}

function settingsPath(agent: "claude" | "gemini", settings: string | undefined, project: string | undefined): string {
  const dir = agent === "claude" ? ".claude" : ".gemini";
  if (settings) return path.resolve(settings);
  // Claude Code's per-project file that is not committed; Gemini CLI has one project file.
  if (project) return path.resolve(project, dir, agent === "claude" ? "settings.local.json" : "settings.json");
  return path.join(homedir(), dir, "settings.json");
}

function parseSettings(file: string): Settings {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new SettingsError(`${file} is not valid JSON: fix it first (nothing was changed)`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new SettingsError(`${file} does not hold a JSON object (nothing was changed)`);
  return data as Settings;
}

/** Atomic, and an existing file keeps its mode (settings can hold secrets of other tools). */
function writeKeepingMode(file: string, text: string): void {
  const mode = existsSync(file) ? statSync(file).mode & 0o777 : 0o600;
  // A missing directory is created as the agent CLIs create their own: private to the user.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.panecast-${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

async function installCredentials(config: Config, stateDir: string, url: string | undefined, globs: string[] | null): Promise<void> {
  const host = config.server.host === "0.0.0.0" || config.server.host === "::" ? "127.0.0.1" : config.server.host;
  const base = url ?? `http://${host.includes(":") ? `[${host}]` : host}:${config.server.port}${config.server.base_path}`;
  const existing = readCredentials(stateDir);
  let token: string | null = null;
  if (config.auth.enabled) {
    // In a cluster (PANECAST_REDIS_URL) the agent token goes to Redis, where the nodes verify it.
    const opened = await openTokens(config);
    let r: ReturnType<typeof ensureAgentToken>;
    try {
      r = ensureAgentToken(opened.store, existing?.token ?? null, globs);
      await opened.settle();
    } finally {
      await opened.close();
    }
    token = r.token;
    const audit = new AuditLog({ path: config.audit.path, maxBytes: config.audit.max_bytes, generations: config.audit.generations, logContent: false });
    if (r.revoked) {
      audit.write({ event: "token.revoke", token: "cli", role: "admin", remote: "local", target: r.revoked, detail: "hooks install: other sessions" });
    }
    if (r.created) {
      audit.write({ event: "token.create", token: "cli", role: "admin", remote: "local", target: r.created, detail: "role=agent (hooks install)" });
      console.error(`panecast: created the agent token ${r.created} (role agent: it may only post signals)`);
    }
    await audit.flush();
  }
  const file = writeCredentials(stateDir, { url: base.replace(/\/$/, ""), token });
  console.error(`panecast: the hook posts to ${base.replace(/\/$/, "")}/api/agent-signals; its token is in ${file} (0600)`);
}

function report(sub: string, agent: string, file: string, changed: boolean): void {
  console.error(`panecast: ${sub === "install" ? "hooks installed in" : "hooks removed from"} ${file}${changed ? "" : " (nothing to change)"} for ${agent}`);
}
