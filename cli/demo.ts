import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { announce, bootServer, installShutdown } from "../lib/boot.ts";
import { loadConfig } from "../lib/config.ts";
import { openDataDir } from "../lib/data-dir.ts";
import { PACKAGE_ROOT } from "../lib/package-root.ts";
import { tmuxEnv } from "../lib/tmux/exec.ts";
import { CONFIG_OPTIONS, configArgv, parseCommand, type CommandSpec } from "./args.ts";

const run = promisify(execFile);
export const DEMO_SOCKET = "panecast-demo";
const AGENT = path.join(PACKAGE_ROOT, "demo", "agent.mjs");

export const DEMO: CommandSpec = {
  name: "demo",
  usage: "usage: panecast demo [--port N] [--host HOST] [--data-dir DIR] … (panecast help lists every settings flag)",
  options: CONFIG_OPTIONS,
};

/**
 * `panecast demo`: a private tmux server (-L panecast-demo) with session `shogun` (1 agent) and
 * `multiagent` (karo, ashigaru1..3), each running a scripted fake agent; a sample dashboard.md and
 * command history; then panecast on it. Ctrl+C stops everything, the private tmux server included.
 */
export async function demo(argv: string[]): Promise<number> {
  const { values } = parseCommand(DEMO, argv);
  const base = loadConfig({ argv: configArgv(values) });
  for (const line of openDataDir(base.data_dir)) console.error(line);
  // Scratch files of this run, outside the data directory: documents are never served from there.
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-demo-"));
  const dashboard = path.join(dir, "dashboard.md");
  const history = path.join(dir, "shogun_to_karo.yaml");
  writeFileSync(dashboard, sampleDashboard());
  writeFileSync(history, sampleHistory());

  const config = loadConfig({ argv: ["--socket-name", DEMO_SOCKET, "--dashboard", `dashboard=${dashboard}`, "--history", history, ...configArgv(values)] });
  await startDemoTmux({ answersLog: path.join(dir, "answers.log"), dashboard, history });

  const { app, url } = await bootServer(config);
  installShutdown(app, async () => {
    await stopDemoTmux();
    rmSync(dir, { recursive: true, force: true });
  });
  announce(app, url);
  console.log(`panecast demo: agents running on tmux -L ${DEMO_SOCKET}`);
  console.log(`panecast demo: open ${url}/   (Ctrl+C stops the demo and its tmux server)`);
  console.log(`panecast demo: watch it in a terminal with: tmux -L ${DEMO_SOCKET} attach -t multiagent`);
  return 0;
}

async function tmuxOn(socket: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("tmux", ["-L", socket, ...args], { env: tmuxEnv() });
  return stdout.trim();
}

/** The demo fleet on a private tmux server (`socket`: the demo's own, or one per node in demo:cluster). */
export async function startDemoTmux(files: { answersLog: string; dashboard: string; history: string }, socket = DEMO_SOCKET): Promise<void> {
  const tmux = (...args: string[]) => tmuxOn(socket, ...args);
  await stopDemoTmux(socket);
  const agent = (name: string): string[] => [
    "env",
    `PANECAST_DEMO_LOG=${files.answersLog}`,
    `PANECAST_DEMO_DASHBOARD=${files.dashboard}`,
    `PANECAST_DEMO_HISTORY=${files.history}`,
    process.execPath,
    AGENT,
    name,
  ];
  const shogun = await tmux("new-session", "-d", "-s", "shogun", "-x", "120", "-y", "30", "-P", "-F", "#{pane_id}", ...agent("shogun"));
  await tmux("set-option", "-p", "-t", shogun, "@agent_id", "shogun");
  const karo = await tmux("new-session", "-d", "-s", "multiagent", "-x", "200", "-y", "50", "-P", "-F", "#{pane_id}", ...agent("karo"));
  await tmux("set-option", "-p", "-t", karo, "@agent_id", "karo");
  let last = karo;
  for (const name of ["ashigaru1", "ashigaru2", "ashigaru3"]) {
    const id = await tmux("split-window", "-d", "-t", last, "-P", "-F", "#{pane_id}", ...agent(name));
    last = id;
    await tmux("set-option", "-p", "-t", id, "@agent_id", name);
    await tmux("select-layout", "-t", "multiagent:0", "tiled");
  }
  await tmux("set-option", "-g", "remain-on-exit", "on");
}

export async function stopDemoTmux(socket = DEMO_SOCKET): Promise<void> {
  // Clients still attached to the demo's own server are control clients of a node that was killed
  // (kill -9 leaves its `tmux -C` children behind); one of them can keep the server from exiting
  // after kill-server, so they go first, by pid.
  const pids = await tmuxOn(socket, "list-clients", "-F", "#{client_pid}").catch(() => "");
  for (const pid of pids.split("\n").map(Number).filter((n) => Number.isInteger(n) && n > 1)) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Gone already.
    }
  }
  await tmuxOn(socket, "kill-server").catch(() => {});
}

export function sampleDashboard(): string {
  const now = new Date().toISOString().replace("T", " ").slice(0, 16);
  return `# Fleet dashboard

Updated ${now} by **karo**.

## Agents

| agent | task | state |
| --- | --- | --- |
| shogun | planning the release | working |
| karo | dispatching tasks | working |
| ashigaru1 | refactor the parser | working |
| ashigaru2 | add retries to the queue | waiting |
| ashigaru3 | fix the flaky test | idle |

## To do

- [x] split the parser into lexer and grammar
- [ ] retry with backoff in the queue
- [ ] ~~rewrite the cache~~ (not needed)

\`\`\`ts
export const retries = 3;
\`\`\`
`;
}

export function sampleHistory(): string {
  return `queue:
  - id: cmd_001
    timestamp: "2026-11-21T09:00:00"
    command: "Refactor the parser into lexer and grammar"
    status: done
    assigned_to: ashigaru1
  - id: cmd_002
    timestamp: "2026-11-21T09:30:00"
    command: "Add retries with backoff to the job queue"
    status: in_progress
    assigned_to: ashigaru2
  - id: cmd_003
    timestamp: "2026-11-21T10:00:00"
    command: "Find and fix the flaky parser test"
    status: pending
`;
}
