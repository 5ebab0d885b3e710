import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ConfigSchema, type Config } from "./config-schema.ts";
import { resolveDataDir, statePath } from "./state-files.ts";

export { resolveDataDir, STATE_FILES, statePath, type StateFile } from "./state-files.ts";

/**
 * One validated Config from: defaults < settings file (--config, PANECAST_CONFIG, ./panecast.yaml)
 * < environment < CLI flags. config/panecast.example.yaml documents every key.
 */

export type { Config };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export interface ConfigSources {
  /** Settings flags only: the CLI (cli/args.ts) has already refused anything else. */
  argv?: readonly string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Which env variable and CLI flag set which key. */
const ENV: Record<string, string> = {
  PANECAST_DATA_DIR: "data_dir",
  PANECAST_HOST: "server.host",
  PANECAST_PORT: "server.port",
  PANECAST_BASE_PATH: "server.base_path",
  PANECAST_PROXY_LISTEN: "server.proxy_listen",
  PANECAST_PUBLIC_URL: "server.public_url",
  PANECAST_ALLOWED_HOSTS: "server.allowed_hosts",
  PANECAST_TMUX_SOCKET_NAME: "tmux.socket_name",
  PANECAST_TMUX_SOCKET_PATH: "tmux.socket_path",
  PANECAST_SESSIONS: "tmux.sessions",
  PANECAST_TMUX_COMMAND_CHANNEL: "tmux.command_channel",
  PANECAST_WATCH_MODE: "watch.mode",
  PANECAST_AUTH: "auth.enabled",
  PANECAST_TOKENS: "auth.tokens_path",
  PANECAST_SESSION_TTL: "auth.session_ttl",
  PANECAST_MAX_SESSIONS_PER_TOKEN: "auth.max_sessions_per_token",
  PANECAST_LOGINS_PER_TOKEN_PER_MINUTE: "auth.logins_per_token_per_minute",
  PANECAST_AUDIT: "audit.path",
  PANECAST_AUDIT_MAX_BYTES: "audit.max_bytes",
  PANECAST_AUDIT_GENERATIONS: "audit.generations",
  PANECAST_FRAME_MS: "hub.frame_ms",
  PANECAST_NODE: "cluster.node",
  PANECAST_REDIS_URL: "cluster.redis_url",
  PANECAST_CLUSTER_SECRET: "cluster.secret",
};

export const FLAGS: Record<string, string> = {
  "--data-dir": "data_dir",
  "--host": "server.host",
  "--port": "server.port",
  "--base-path": "server.base_path",
  "--socket-name": "tmux.socket_name",
  "-L": "tmux.socket_name",
  "--socket-path": "tmux.socket_path",
  "-S": "tmux.socket_path",
  "--sessions": "tmux.sessions",
  "--watch-mode": "watch.mode",
  "--dashboard": "dashboards",
  "--history": "history.path",
  "--tokens": "auth.tokens_path",
};

/** Flags without a value that set a key to true. */
export const SWITCHES: Record<string, string> = {
  "--insecure-no-auth": "server.insecure_no_auth",
};

/** Flags that take a value and are not config keys (handled by the CLI). */
export const OTHER_FLAGS_WITH_VALUE = new Set(["--config"]);

export function loadConfig(sources: ConfigSources = {}): Config {
  const argv = sources.argv ?? [];
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const origin = new Map<string, string>();

  const flags = parseFlags(argv);
  const explicit = flags.get("--config") ?? env.PANECAST_CONFIG;
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, "panecast.yaml");
  let raw: Record<string, unknown> = {};
  if (explicit || existsSync(file)) {
    raw = readSettingsFile(file);
    for (const k of flatKeys(raw)) origin.set(k, `in ${path.basename(file)}`);
  }

  for (const [variable, key] of Object.entries(ENV)) {
    const v = env[variable];
    if (v === undefined || v === "") continue;
    setKey(raw, key, coerce(key, v));
    origin.set(key, `from env ${variable}`);
  }
  for (const [flag, value] of flags) {
    const key = FLAGS[flag];
    if (!key) continue;
    setKey(raw, key, coerce(key, value));
    origin.set(key, `from flag ${flag}`);
  }
  for (const [flag, key] of Object.entries(SWITCHES)) {
    if (!argv.includes(flag)) continue;
    setKey(raw, key, true);
    origin.set(key, `from flag ${flag}`);
  }

  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join(".");
    const given = getKey(raw, issue.path);
    const where = origin.get(key) ?? origin.get(String(issue.path[0])) ?? "";
    const what = issue.code === "unrecognized_keys" ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}` : `= ${JSON.stringify(given)}`;
    throw new ConfigError(`invalid config: ${key || "(top level)"} ${what}${where ? ` (${where})` : ""}: ${expected(issue)}`);
  }
  const config = parsed.data;
  if (config.tmux.socket_name && config.tmux.socket_path) {
    throw new ConfigError("invalid config: tmux.socket_name and tmux.socket_path are both set: expected at most one of them");
  }
  if (config.poll.max_interval_ms < config.poll.base_interval_ms) {
    throw new ConfigError(
      `invalid config: poll.max_interval_ms = ${config.poll.max_interval_ms}: expected at least poll.base_interval_ms (${config.poll.base_interval_ms})`,
    );
  }
  const names = config.dashboards.map((d) => d.name);
  const clash = names.find((n, i) => n === "history" || names.indexOf(n) !== i);
  if (clash) {
    throw new ConfigError(`invalid config: dashboards name = ${JSON.stringify(clash)}: expected unique names other than "history"`);
  }
  if (!config.auth.enabled && !isLoopback(config.server.host) && !config.server.insecure_no_auth) {
    throw new ConfigError(
      `invalid config: server.host = ${JSON.stringify(config.server.host)} with auth.enabled = false: expected a loopback address, auth turned on, or --insecure-no-auth to accept an open dashboard`,
    );
  }
  const proxyHost = config.server.proxy_listen && !config.server.proxy_listen.startsWith("/") ? config.server.proxy_listen.slice(0, config.server.proxy_listen.lastIndexOf(":")).replace(/^\[|\]$/g, "") : null;
  if (!config.auth.enabled && proxyHost !== null && !isLoopback(proxyHost) && !config.server.insecure_no_auth) {
    throw new ConfigError(
      `invalid config: server.proxy_listen = ${JSON.stringify(config.server.proxy_listen)} with auth.enabled = false: expected a unix socket or a loopback address, auth turned on, or --insecure-no-auth`,
    );
  }
  config.alerts.webhooks = config.alerts.webhooks.map((h, i) => ({ ...h, headers: expandHeaders(h.headers, env, `alerts.webhooks.${i}.headers`) }));
  config.dashboards = config.dashboards.map((d) => ({ ...d, path: path.resolve(cwd, d.path) }));
  config.history.path = path.resolve(cwd, config.history.path);
  const tokensPath = config.auth.tokens_path ? path.resolve(cwd, config.auth.tokens_path) : null;
  const dataDir = resolveDataDir(config.data_dir, env, cwd, tokensPath);
  return {
    ...config,
    config_file: explicit || existsSync(file) ? file : null,
    docs: { ...config.docs, allowed_roots: config.docs.allowed_roots.map((r) => path.resolve(cwd, r)) },
    data_dir: dataDir,
    auth: { ...config.auth, tokens_path: tokensPath ?? statePath(dataDir, "tokens.json") },
    audit: { ...config.audit, path: config.audit.path ? path.resolve(cwd, config.audit.path) : statePath(dataDir, "audit.jsonl") },
  };
}

/** `${NAME}` in a header value becomes env NAME (a bearer token kept out of the settings file). */
function expandHeaders(headers: Record<string, string>, env: Record<string, string | undefined>, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, v: string) => {
      const got = env[v];
      if (got === undefined || got === "") throw new ConfigError(`invalid config: ${key}.${name} names env ${v}, which is not set: expected ${v} in the environment`);
      return got;
    });
    if (/[\r\n]/.test(out[name]!)) throw new ConfigError(`invalid config: ${key}.${name}: expected a value without line breaks`);
  }
  return out;
}

function readSettingsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ConfigError(`invalid config: settings file ${file} cannot be read: expected a readable YAML file`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    const line = (err as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw new ConfigError(`invalid config: ${path.basename(file)}${line ? ` line ${line}` : ""} is not valid YAML: expected a YAML mapping`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new ConfigError(`invalid config: ${path.basename(file)} holds a ${Array.isArray(data) ? "list" : typeof data}: expected a YAML mapping`);
  }
  return data as Record<string, unknown>;
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf("=");
    const flag = a.startsWith("--") && eq !== -1 ? a.slice(0, eq) : a;
    if (!(flag in FLAGS) && !OTHER_FLAGS_WITH_VALUE.has(flag)) continue;
    const value = a.startsWith("--") && eq !== -1 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`invalid config: flag ${flag} has no value: expected ${flag} VALUE`);
    out.set(flag, value);
  }
  return out;
}

/** Keys set from the environment whose values are numbers (anything else stays a string, and is reported). */
const NUMERIC = new Set(["server.port", "hub.frame_ms", "auth.max_sessions_per_token", "auth.logins_per_token_per_minute", "audit.max_bytes", "audit.generations"]);

function coerce(key: string, value: string): unknown {
  if (NUMERIC.has(key)) return /^\d+$/.test(value) ? Number(value) : value;
  if (key === "auth.enabled") return /^(off|false|0|no)$/i.test(value) ? false : /^(on|true|1|yes)$/i.test(value) ? true : value;
  if (key === "tmux.sessions" || key === "server.allowed_hosts") return value.split(",").map((s) => s.trim()).filter(Boolean);
  if (key === "dashboards") {
    return value.split(",").map((entry) => {
      const [n, p] = entry.includes("=") ? entry.split("=", 2) : [path.basename(entry, path.extname(entry)), entry];
      return { name: n, path: p };
    });
  }
  return value;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next !== "object" || next === null || Array.isArray(next)) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

function getKey(obj: unknown, p: readonly PropertyKey[]): unknown {
  let cur = obj;
  for (const k of p) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function flatKeys(obj: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? [`${prefix}${k}`, ...flatKeys(v as Record<string, unknown>, `${prefix}${k}.`)] : [`${prefix}${k}`],
  );
}

function expected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "too_small":
      return `expected ${issue.origin === "array" ? "at least" : "a value of at least"} ${String(issue.minimum)}${issue.origin === "number" ? "" : ` ${issue.origin === "array" ? "items" : "characters"}`}`;
    case "too_big":
      return `expected at most ${String(issue.maximum)}${issue.origin === "number" ? "" : ` ${issue.origin === "array" ? "items" : "characters"}`}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return `expected ${issue.message}`;
    case "unrecognized_keys":
      return "expected only the keys documented in config/panecast.example.yaml";
    default:
      return `expected ${issue.message}`;
  }
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Socket settings as the tmux layer takes them. */
export function tmuxSocketOf(config: Config): { socketName?: string; socketPath?: string } {
  if (config.tmux.socket_path) return { socketPath: config.tmux.socket_path };
  if (config.tmux.socket_name) return { socketName: config.tmux.socket_name };
  return {};
}
