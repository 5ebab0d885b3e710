// npm run bench:hook — what an agent waits for on each hook event:
//  1. the server's answer to POST /api/agent-signals (the part panecast controls), p50/p95;
//  2. the whole `panecast hook claude` process as Claude Code runs it (a shell, JSON on stdin), as
//     installed (`node <bin> hook …`) and through the bin's shebang (how it was installed before),
//     next to a bare `node -e 0` on the same machine, so node's own start-up is visible apart.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TestTmux } from "../tests/helpers/tmux.ts";
import { median, percentile, startBenchServer, stopBenchServer, table } from "./fleet.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const dir = mkdtempSync(path.join(tmpdir(), "panecast-bench-hook-"));
const tmux = new TestTmux();
const pane = await tmux.newSession("agent");
const cfg = path.join(dir, "panecast.yaml");
writeFileSync(cfg, "limits:\n  messages_per_second: 10000\n  messages_burst: 10000\n");
const { child, url } = await startBenchServer(cfg, tmux.socketName, dir);
const settings = path.join(dir, "settings.json");
try {
  execFileSync(process.execPath, ["bin/panecast.js", "hooks", "install", "claude", "--settings", settings, "--tokens", path.join(dir, "tokens.json"), "--url", url], { stdio: "ignore" });
  const command = (JSON.parse(readFileSync(settings, "utf8")) as { hooks: { Stop: Array<{ hooks: Array<{ command: string }> }> } }).hooks.Stop[0]!.hooks[0]!.command;
  const socket = (await tmux.tmux("display-message", "-p", "-t", pane, "#{socket_path}")).trim();
  const tmuxVar = (await tmux.tmux("display-message", "-p", "-t", pane, "#{socket_path},#{pid},0")).trim();
  const payload = readFileSync("tests/fixtures/hooks/claude-PreToolUse.json", "utf8");

  const post: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const res = await fetch(`${url}/api/agent-signals`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ agent: "claude", pane, socket, event: i % 2 ? "PreToolUse" : "Stop" }),
    });
    await res.arrayBuffer();
    post.push(performance.now() - t);
  }

  const run = (cmd: string, stdin: string) =>
    new Promise<number>((resolve) => {
      const t = performance.now();
      const c = spawn("/bin/sh", ["-c", cmd], { env: { NODE_ENV: "production", PATH: process.env.PATH ?? "/usr/bin:/bin", TMUX: tmuxVar, TMUX_PANE: pane }, stdio: ["pipe", "ignore", "ignore"] });
      c.on("close", () => resolve(performance.now() - t));
      c.stdin.end(stdin);
    });
  const hook: number[] = [];
  const shebang: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    hook.push(await run(command, payload));
    shebang.push(await run(command.replace(/^node /, ""), payload));
    bare.push(await run(`${process.execPath} -e 0`, ""));
  }
  const row = (name: string, xs: number[]) => [name, median(xs).toFixed(1), percentile(xs, 95).toFixed(1)];
  console.log(table([["ms", "p50", "p95"], row("POST /api/agent-signals", post), row("node <bin> hook claude (whole process, installed)", hook), row("<bin> hook claude (its shebang, before)", shebang), row("node -e 0 (start-up alone)", bare)]));
} finally {
  await stopBenchServer(child);
  await tmux.kill();
}
