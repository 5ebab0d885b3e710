import { accessSync, constants, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { ConfigError, loadConfig, tmuxSocketOf, type Config } from "../lib/config.ts";
import { closeClient, redisClient } from "../lib/cluster/redis.ts";
import { execTmux } from "../lib/tmux/exec.ts";
import { shippedBuildId, SHIPPED } from "../lib/web/ui.ts";
import { CONFIG_OPTIONS, configArgv, parseCommand, str, type CommandSpec } from "./args.ts";

export const DOCTOR: CommandSpec = {
  name: "doctor",
  usage:
    "usage: panecast doctor [--config PATH] [--data-dir DIR] [-L NAME | -S PATH] [--url URL]\n" +
    "  one line per check: ok, note (does not stop a start) or FAIL, and why. Exit 0 when nothing\n" +
    "  blocks a start, 1 when a check fails (with --url or PANECAST_URL: also when no panecast answers\n" +
    "  there), 2 on a usage error.",
  options: { ...CONFIG_OPTIONS, url: { type: "string" } },
};

interface Check {
  name: string;
  /** "note": worth knowing, but nothing that stops `panecast start`. */
  ok: boolean | "note";
  detail: string;
}

/**
 * `panecast doctor`: what a self-hoster checks first, one line each, before the first start as well
 * as beside a running server: config, tmux, its server, the data directory (or where it will be
 * made), the server at the configured URL (answering, or its port free), the web UI build.
 */
export async function doctor(argv: string[]): Promise<number> {
  const { values } = parseCommand(DOCTOR, argv);
  const checks: Check[] = [];
  let config: Config | null = null;
  try {
    config = loadConfig({ argv: configArgv(values) });
    checks.push({ name: "config", ok: true, detail: config.config_file ? `valid (${config.config_file})` : "valid (no settings file: the defaults)" });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    checks.push({ name: "config", ok: false, detail: err.message });
  }
  checks.push(await tmuxVersion());
  if (config) checks.push(await tmuxSocket(config), dataDir(config.data_dir));
  const given = str(values, "url") ?? (process.env.PANECAST_URL || undefined);
  if (config || given) checks.push(await serverAnswers(given ?? urlOf(config!), given !== undefined, config));
  if (config?.cluster.redis_url) checks.push(await redisReachable(config.cluster.redis_url));
  checks.push(build());
  checks.push({ name: "browser", ok: true, detail: "none needed here: people open the dashboard in their own browser (Chromium is for the test suite only)" });
  for (const c of checks) console.log(`${c.ok === "note" ? "note" : c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(10)} ${c.detail}`);
  return checks.every((c) => c.ok !== false) ? 0 : 1;
}

/** Where this config's server answers on this machine. */
function urlOf(config: Config): string {
  const h = config.server.host;
  const host = h === "0.0.0.0" ? "127.0.0.1" : h === "::" ? "[::1]" : h.includes(":") ? `[${h}]` : h;
  return `http://${host}:${config.server.port}${config.server.base_path}`;
}

/**
 * Whether panecast answers at the URL (its public health route: 200 with `{"status":"ok"}`). When
 * nothing listens there: fine before a first start (the port is free), a failure when the URL was
 * given (--url, PANECAST_URL) as where a server should be.
 */
async function serverAnswers(url: string, given: boolean, config: Config | null): Promise<Check> {
  const name = "server";
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    return { name, ok: false, detail: `${url}: expected a URL such as http://127.0.0.1:3000` };
  }
  const health = new URL(`${base.pathname.replace(/\/$/, "")}/api/healthz`, base);
  try {
    const res = await fetch(health, { signal: AbortSignal.timeout(5000), redirect: "manual" });
    const body = (await res.json().catch(() => null)) as { status?: unknown; error?: { code?: unknown } } | null;
    if (res.status === 200 && body?.status === "ok") return { name, ok: true, detail: `panecast answers at ${url}` };
    const code = typeof body?.error?.code === "string" ? ` ${body.error.code}` : "";
    return { name, ok: false, detail: `${url} answers HTTP ${res.status}${code}, not panecast's health route: another program on that port, or the wrong path?` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code === "ECONNREFUSED" ? "connection refused" : (cause?.code ?? cause?.message ?? (err as Error).message);
    if (given) return { name, ok: false, detail: `no panecast answers at ${url} (${why}): is it running, and is the URL right?` };
    if (cause?.code !== "ECONNREFUSED" || !config) return { name, ok: false, detail: `${url}: ${why}` };
    const free = await portFree(config.server.host, config.server.port);
    if (free !== true) return { name, ok: false, detail: `nothing answers at ${url}, and panecast could not listen there: ${free}` };
    return { name, ok: "note", detail: `not running; ${config.server.host}:${config.server.port} is free for panecast start` };
  }
}

/** Whether this process could listen where the server would (true), or why not. */
function portFree(host: string, port: number): Promise<true | string> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function tmuxVersion(): Promise<Check> {
  try {
    const { stdout } = await execTmux({}, ["-V"], 5000);
    const v = /tmux (?:next-)?(\d+)\.(\d+)/.exec(stdout);
    const ok = !!v && (Number(v[1]) > 3 || (Number(v[1]) === 3 && Number(v[2]) >= 2));
    return { name: "tmux", ok, detail: ok ? stdout.trim() : `${stdout.trim() || "unknown version"}: expected tmux 3.2 or newer` };
  } catch (err) {
    return { name: "tmux", ok: false, detail: (err as Error).message };
  }
}

async function tmuxSocket(config: Config): Promise<Check> {
  const sock = tmuxSocketOf(config);
  const where = sock.socketPath ? `socket ${sock.socketPath}` : sock.socketName ? `socket name ${sock.socketName}` : "the default socket";
  try {
    const r = await execTmux(sock, ["list-sessions", "-F", "#{session_name}"], config.tmux.command_timeout_ms);
    // Not a failure: panecast starts without one and shows its sessions once tmux runs.
    if (r.exitCode !== 0) return { name: "socket", ok: "note", detail: `no tmux server on ${where} yet (${r.stderr.trim().split("\n")[0]}): panecast shows its sessions once one runs` };
    const n = r.stdout.split("\n").filter(Boolean).length;
    return { name: "socket", ok: true, detail: `${where}: ${n} session${n === 1 ? "" : "s"}` };
  } catch (err) {
    return { name: "socket", ok: false, detail: `${where}: ${(err as Error).message}` };
  }
}

/**
 * The data directory exists, is writable, and neither it nor a file in it is open to group or others;
 * or, before the first start, it can be made (its nearest existing parent is writable).
 */
export function dataDir(dir: string): Check {
  const name = "data dir";
  let mode: number;
  try {
    mode = statSync(dir).mode & 0o777;
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return toBeMade(dir);
    return { name, ok: false, detail: `${dir}: ${code === "EACCES" ? "not writable" : code}` };
  }
  if (mode & 0o077) return { name, ok: false, detail: `${dir}: mode ${mode.toString(8)}, expected 700 (chmod 700 ${dir})` };
  const open = readdirSync(dir).filter((f) => {
    const st = statSync(path.join(dir, f));
    return st.isFile() && (st.mode & 0o077) !== 0;
  });
  if (open.length > 0) return { name, ok: false, detail: `${dir}: ${open.join(", ")} readable by others, expected mode 600` };
  return { name, ok: true, detail: `${dir} (mode 700)` };
}

/** A data directory not made yet: panecast start makes it (mode 700) if its nearest existing parent is writable. */
function toBeMade(dir: string): Check {
  let parent = path.dirname(dir);
  for (;;) {
    try {
      if (!statSync(parent).isDirectory()) return { name: "data dir", ok: false, detail: `${dir}: cannot be made, ${parent} is not a directory` };
      accessSync(parent, constants.W_OK);
      return { name: "data dir", ok: true, detail: `${dir} does not exist yet: panecast start makes it (mode 700)` };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") return { name: "data dir", ok: false, detail: `${dir}: cannot be made, ${parent} is not writable` };
      if (path.dirname(parent) === parent) return { name: "data dir", ok: false, detail: `${dir}: cannot be made` };
      parent = path.dirname(parent);
    }
  }
}

function build(): Check {
  try {
    return { name: "web UI", ok: true, detail: `built (${shippedBuildId()}) in ${SHIPPED}` };
  } catch (err) {
    return { name: "web UI", ok: false, detail: (err as Error).message };
  }
}

/** With clustering on: Redis answers PING within 5 s (its URL is shown without a password). */
async function redisReachable(url: string): Promise<Check> {
  const shown = url.replace(/\/\/[^@/]*@/, "//***@");
  const client = redisClient(url, "doctor");
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no answer within 5 s")), 5000);
    });
    await Promise.race([client.connect(), timeout]);
    const pong = await Promise.race([client.ping(), timeout]);
    return { name: "redis", ok: pong === "PONG", detail: `${shown}: ${pong}` };
  } catch (err) {
    return { name: "redis", ok: false, detail: `${shown}: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
    await closeClient(client);
  }
}
