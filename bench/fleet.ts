import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { TestTmux } from "../tests/helpers/tmux.ts";

/**
 * bench/server.ts in its own process (no Next.js, auth off, its audit log in `dir`), with this config
 * file and tmux socket; resolves with the process and its URL. `root`: another checkout whose lib/ is
 * the code under test; `profileDir`: see bench/server.ts.
 */
export async function startBenchServer(
  config: string,
  socketName: string,
  dir: string,
  opts: { root?: string; profileDir?: string; built?: { nodeArgs: string[] | null } } = {},
): Promise<{ child: ChildProcess; url: string }> {
  const serverArgs = ["--config", config, "--port", "0", "-L", socketName];
  // built: `panecast start` from the checkout's bin/panecast.js and dist/ (with the web UI), as a user
  // runs it: executed through its shebang (and the node flags there), or under `node ...nodeArgs`.
  const bin = path.join(opts.root ?? ".", "bin", "panecast.js");
  const [command, args] = !opts.built
    ? [process.execPath, ["--import", "tsx", "bench/server.ts", ...serverArgs]]
    : opts.built.nodeArgs === null
      ? [bin, ["start", ...serverArgs]]
      : [process.execPath, [...opts.built.nodeArgs, bin, "start", ...serverArgs]];
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...(opts.root ? { PANECAST_BENCH_ROOT: opts.root } : {}), ...(opts.profileDir ? { PANECAST_BENCH_PROFILE_DIR: opts.profileDir } : {}), PANECAST_AUTH: "off", PANECAST_AUDIT: path.join(dir, "audit.jsonl"), PANECAST_TOKENS: path.join(dir, "tokens.json"), PANECAST_LOG_LEVEL: "warn", ...(opts.built ? { PANECAST_DATA_DIR: path.join(dir, `data-${path.basename(config, ".yaml")}`) } : {}) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (?:on )?(http\S+?)\/?\s/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, url };
}

export async function stopBenchServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * A private tmux server with `n` panes of coloured text (one pane per window, 40 windows per session),
 * for benchmarks. Each pane prints 30 coloured lines and then sleeps.
 */
export async function coloredFleet(n: number): Promise<{ tmux: TestTmux; panes: string[] }> {
  const tmux = new TestTmux();
  const script = 'for i in $(seq 1 30); do printf "\\033[1;3%dm%3d\\033[0m \\033[38;5;%dmcoloured line of agent output with some words\\033[0m \\033[48;2;30;40;%dm ok \\033[0m\\n" $((i%8)) $i $((i*7)) $((i*8)); done; exec sleep 100000';
  const panes: string[] = [];
  for (let i = 0; i < n; i++) {
    const session = `bench${Math.floor(i / 40)}`;
    if (i % 40 === 0) panes.push(await tmux.newSession(session, { command: `bash -c '${script}'`, width: 100, height: 30 }));
    else panes.push((await tmux.tmux("new-window", "-d", "-t", `=${session}`, "-P", "-F", "#{pane_id}", "bash", "-c", script)).trim());
  }
  // Wait until every pane has printed its lines.
  for (const p of panes) {
    for (let tries = 0; tries < 200 && !(await tmux.capture(p)).includes(" 30 "); tries++) await new Promise((r) => setTimeout(r, 10));
  }
  return { tmux, panes };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export function table(rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? (Number.isInteger(c) ? String(c) : c.toFixed(2)) : c)));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r, j) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ") + (j === 0 ? `\n${widths.map((w) => "-".repeat(w)).join("  ")}` : "")).join("\n");
}
