import { accessSync, constants, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig, tmuxSocketOf, type Config } from "../lib/config.ts";
import { closeClient, redisClient } from "../lib/cluster/redis.ts";
import { execTmux } from "../lib/tmux/exec.ts";
import { shippedBuildId, SHIPPED } from "../lib/web/ui.ts";
import { CONFIG_OPTIONS, configArgv, parseCommand, type CommandSpec } from "./args.ts";

export const DOCTOR: CommandSpec = {
  name: "doctor",
  usage: "usage: panecast doctor [--config PATH] [--data-dir DIR] [-L NAME | -S PATH]   (one line per check; exit 1 when one fails)",
  options: CONFIG_OPTIONS,
};

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** `panecast doctor`: what a self-hoster checks first, one line each: ok or FAIL, and why. */
export async function doctor(argv: string[]): Promise<number> {
  const { values } = parseCommand(DOCTOR, argv);
  const checks: Check[] = [];
  let config: Config | null = null;
  try {
    config = loadConfig({ argv: configArgv(values) });
    checks.push({ name: "config", ok: true, detail: "valid" });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    checks.push({ name: "config", ok: false, detail: err.message });
  }
  checks.push(await tmuxVersion());
  if (config) checks.push(await tmuxSocket(config), dataDir(config.data_dir));
  if (config?.cluster.redis_url) checks.push(await redisReachable(config.cluster.redis_url));
  checks.push(build());
  for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(10)} ${c.detail}`);
  return checks.every((c) => c.ok) ? 0 : 1;
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
    if (r.exitCode !== 0) return { name: "socket", ok: false, detail: `no tmux server answers on ${where} (${r.stderr.trim().split("\n")[0]})` };
    const n = r.stdout.split("\n").filter(Boolean).length;
    return { name: "socket", ok: true, detail: `${where}: ${n} session${n === 1 ? "" : "s"}` };
  } catch (err) {
    return { name: "socket", ok: false, detail: `${where}: ${(err as Error).message}` };
  }
}

/** The data directory exists, is writable, and neither it nor a file in it is open to group or others. */
export function dataDir(dir: string): Check {
  const name = "data dir";
  let mode: number;
  try {
    mode = statSync(dir).mode & 0o777;
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { name, ok: false, detail: `${dir}: ${code === "ENOENT" ? "missing (panecast start creates it)" : code === "EACCES" ? "not writable" : code}` };
  }
  if (mode & 0o077) return { name, ok: false, detail: `${dir}: mode ${mode.toString(8)}, expected 700 (chmod 700 ${dir})` };
  const open = readdirSync(dir).filter((f) => {
    const st = statSync(path.join(dir, f));
    return st.isFile() && (st.mode & 0o077) !== 0;
  });
  if (open.length > 0) return { name, ok: false, detail: `${dir}: ${open.join(", ")} readable by others, expected mode 600` };
  return { name, ok: true, detail: `${dir} (mode 700)` };
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
