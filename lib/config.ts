import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/**
 * One validated Config from: defaults < settings file (--config, PANECAST_CONFIG, ./panecast.yaml)
 * < environment < CLI flags. config/panecast.example.yaml documents every key.
 */

const int = (min: number, max: number) => z.number().int().min(min).max(max);
/** Regular expressions (JavaScript syntax, matched case-insensitively); each must compile. */
const regexList = z
  .array(
    z
      .string()
      .min(1)
      .max(500)
      .refine((src) => {
        try {
          new RegExp(src, "i");
          return true;
        } catch {
          return false;
        }
      }, "a valid regular expression"),
  )
  .max(100);

const DEFAULT_ERROR_PATTERNS = ["\\berror\\b", "\\bfailed\\b", "\\bexception\\b", "traceback \\(most recent call last\\)", "✗", "\\bpanic:"];
const DEFAULT_WARNING_PATTERNS = ["\\bwarn(ing)?\\b", "\\bdeprecated\\b"];
const DEFAULT_CRITICAL_PATTERNS = ["\\bfatal\\b", "out of memory", "segmentation fault", "rate limit", "api error", "permission denied"];
const name = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, '.', '_' or '-'");

const ConfigSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default("127.0.0.1"),
        port: int(0, 65535).default(3000),
        base_path: z
          .string()
          .regex(/^(\/[A-Za-z0-9._~-]+)*$/, "empty, or a path such as /panecast (no trailing slash)")
          .default(""),
        trust_proxy: z.array(z.string().regex(/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/, "IP addresses or CIDRs such as 127.0.0.1/32")).max(64).default([]),
        allowed_origins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, "origins such as https://panecast.example.com")).max(64).default([]),
        insecure_no_auth: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    tmux: z
      .object({
        socket_name: name.nullable().default(null),
        socket_path: z.string().min(1).nullable().default(null),
        sessions: z.array(z.string().regex(/^[A-Za-z0-9_*?-]{1,64}$/, "session names or globs")).default([]),
        user_options: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "user option names without '@'")).max(16).default(["agent_id"]),
        command_timeout_ms: int(100, 60_000).default(5000),
      })
      .strict()
      .prefault({}),
    watch: z
      .object({
        mode: z.enum(["push", "poll"]).default("push"),
        frame_interval_ms: int(0, 5000).default(30),
        topology_refresh_ms: int(100, 60_000).default(2000),
        max_panes: int(1, 10_000).default(1000),
      })
      .strict()
      .prefault({}),
    capture: z
      .object({
        colors: z.boolean().default(true),
        history_lines: int(0, 100_000).default(2000),
      })
      .strict()
      .prefault({}),
    poll: z
      .object({
        base_interval_ms: int(20, 600_000).default(500),
        max_interval_ms: int(20, 600_000).default(5000),
        no_change_threshold: int(1, 1000).default(4),
      })
      .strict()
      .prefault({}),
    hub: z
      .object({
        max_clients: int(1, 100_000).default(1000),
        max_buffered_packets: int(4, 10_000).default(64),
        replay_per_pane: int(0, 1024).default(32),
        max_message_bytes: int(1024, 16 * 1024 * 1024).default(1024 * 1024),
      })
      .strict()
      .prefault({}),
    dashboards: z
      .array(z.object({ name: name, path: z.string().min(1) }).strict())
      .default([{ name: "dashboard", path: "./dashboard.md" }]),
    history: z
      .object({ path: z.string().min(1).default("./shogun_to_karo.yaml") })
      .strict()
      .prefault({}),
    auth: z
      .object({
        enabled: z.boolean().default(true),
        tokens_path: z.string().min(1).default("./.panecast/tokens.json"),
        session_ttl_hours: int(1, 24 * 365).default(24 * 30),
        login_failures_per_minute: int(1, 10_000).default(5),
      })
      .strict()
      .prefault({}),
    audit: z
      .object({
        path: z.string().min(1).default("./.panecast/audit.jsonl"),
        log_content: z.boolean().default(false),
        max_bytes: int(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        messages_per_second: int(1, 100_000).default(50),
        messages_burst: int(1, 100_000).default(100),
        sends_per_minute: int(1, 100_000).default(120),
        max_connections_per_ip: int(1, 100_000).default(64),
      })
      .strict()
      .prefault({}),
    agents: z
      .object({
        tail_lines: int(1, 200).default(8),
        active_ms: int(100, 600_000).default(3000),
        rules: z
          .partialRecord(
            z.enum(["claude", "codex", "aider", "gemini", "shell", "other"]),
            z.object({ waiting: regexList, working: regexList, idle: regexList, error: regexList }).partial().strict(),
          )
          .default({}),
      })
      .strict()
      .prefault({}),
    alerts: z
      .object({
        error_patterns: regexList.default(DEFAULT_ERROR_PATTERNS),
        warning_patterns: regexList.default(DEFAULT_WARNING_PATTERNS),
        critical_patterns: regexList.default(DEFAULT_CRITICAL_PATTERNS),
        on_states: z.array(z.enum(["waiting-for-input", "error", "exited"])).default(["waiting-for-input", "error"]),
        min_interval_ms: int(0, 3_600_000).default(10_000),
        webhooks: z
          .array(
            z
              .object({
                url: z.string().regex(/^https?:\/\/\S+$/, "an http(s) URL"),
                kinds: z.array(z.enum(["waiting-for-input", "error", "critical", "exited"])).optional(),
                timeout_ms: int(100, 60_000).default(5000),
                retries: int(0, 10).default(3),
              })
              .strict(),
          )
          .max(16)
          .default([]),
      })
      .strict()
      .prefault({}),
    resources: z
      .object({ interval_ms: int(500, 600_000).default(2000), enabled: z.boolean().default(true) })
      .strict()
      .prefault({}),
    git: z
      .object({
        enabled: z.boolean().default(true),
        poll_interval_ms: int(1000, 3_600_000).default(10_000),
        max_concurrent: int(1, 32).default(2),
        timeout_ms: int(100, 120_000).default(5000),
      })
      .strict()
      .prefault({}),
    events: z
      .object({ ring_size: int(10, 1_000_000).default(2000), sessions_debounce_ms: int(0, 60_000).default(500) })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        enabled: z.boolean().default(true),
        listen: z
          .string()
          .regex(/^[0-9A-Za-z.:[\]-]+:\d{1,5}$/, "host:port, such as 127.0.0.1:9464")
          .nullable()
          .default(null),
      })
      .strict()
      .prefault({}),
    docs: z
      .object({
        max_file_bytes: int(1024, 256 * 1024 * 1024).default(2 * 1024 * 1024),
        cache_entries: int(0, 10_000).default(32),
        cache_max_bytes: int(1024 * 1024, 1024 * 1024 * 1024).default(64 * 1024 * 1024),
        debounce_ms: int(0, 5000).default(50),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export interface ConfigSources {
  argv?: readonly string[];
  /** Flags besides the config flags that the command takes; anything else is an error. Absent: not checked. */
  allowFlags?: readonly string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Which env variable and CLI flag set which key. */
const ENV: Record<string, string> = {
  PANECAST_HOST: "server.host",
  PANECAST_PORT: "server.port",
  PANECAST_BASE_PATH: "server.base_path",
  PANECAST_TMUX_SOCKET_NAME: "tmux.socket_name",
  PANECAST_TMUX_SOCKET_PATH: "tmux.socket_path",
  PANECAST_SESSIONS: "tmux.sessions",
  PANECAST_WATCH_MODE: "watch.mode",
  PANECAST_AUTH: "auth.enabled",
  PANECAST_TOKENS: "auth.tokens_path",
  PANECAST_AUDIT: "audit.path",
};

const FLAGS: Record<string, string> = {
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
const SWITCHES: Record<string, string> = {
  "--insecure-no-auth": "server.insecure_no_auth",
};

/** Flags that take a value and are not config keys (handled by the CLI). */
const OTHER_FLAGS_WITH_VALUE = new Set(["--config"]);

export function loadConfig(sources: ConfigSources = {}): Config {
  const argv = sources.argv ?? [];
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const origin = new Map<string, string>();

  if (sources.allowFlags) {
    for (const a of argv) {
      if (!a.startsWith("-")) continue;
      const f = a.includes("=") ? a.slice(0, a.indexOf("=")) : a;
      if (!(f in FLAGS) && !(f in SWITCHES) && !OTHER_FLAGS_WITH_VALUE.has(f) && !sources.allowFlags.includes(f)) {
        throw new ConfigError(`unknown option ${f} (see 'panecast help')`);
      }
    }
  }
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
  config.dashboards = config.dashboards.map((d) => ({ ...d, path: path.resolve(cwd, d.path) }));
  config.history.path = path.resolve(cwd, config.history.path);
  config.auth.tokens_path = path.resolve(cwd, config.auth.tokens_path);
  config.audit.path = path.resolve(cwd, config.audit.path);
  return config;
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

function coerce(key: string, value: string): unknown {
  if (key === "server.port") return /^\d+$/.test(value) ? Number(value) : value;
  if (key === "auth.enabled") return /^(off|false|0|no)$/i.test(value) ? false : /^(on|true|1|yes)$/i.test(value) ? true : value;
  if (key === "tmux.sessions") return value.split(",").map((s) => s.trim()).filter(Boolean);
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
