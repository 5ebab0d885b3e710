import { loadConfig, tmuxSocketOf } from "../lib/config.ts";
import type { Topology } from "../lib/protocol.ts";
import { TmuxNotInstalled, TmuxServerNotRunning } from "../lib/tmux/errors.ts";
import { TmuxRuntime } from "../lib/tmux/runtime.ts";
import { filterSessions } from "../lib/topology.ts";
import { applyProcessTypes, ForegroundTypes } from "../lib/tmux/foreground.ts";
import { readTopology } from "../lib/tmux/topology.ts";
import { CLIENT_OPTIONS, CONFIG_OPTIONS, configArgv, parseCommand, str, type CommandSpec } from "./args.ts";
import { fetchSessions } from "./status-remote.ts";

export const STATUS: CommandSpec = {
  name: "status",
  usage: "usage: panecast status [--json] [-L NAME | -S PATH] [--sessions A,B] [--config PATH] | [--url URL] [--token TOKEN]",
  options: { ...CONFIG_OPTIONS, ...CLIENT_OPTIONS, json: { type: "boolean" } },
};

/**
 * `panecast status [--json]`: the fleet at a glance (seed 004's orchestrator status), from one tmux
 * call; with `--url`, from a running server (in a cluster: every node's panes).
 */
export async function status(argv: string[]): Promise<number> {
  const { values } = parseCommand(STATUS, argv);
  const url = str(values, "url");
  if (url !== undefined) {
    const topo = await fetchSessions(url, str(values, "token") ?? process.env.PANECAST_TOKEN);
    if (!topo) return 3;
    console.log(values.json ? JSON.stringify(statusJson(topo), null, 2) : statusTable(topo));
    return 0;
  }
  const config = loadConfig({ argv: configArgv(values) });
  const socket = tmuxSocketOf(config);
  const runtime = new TmuxRuntime(socket, { timeoutMs: config.tmux.command_timeout_ms });
  let topo: Topology;
  try {
    topo = filterSessions(await readTopology(runtime, config.tmux.user_options), config.tmux.sessions);
    // The agent type from each pane's foreground process, as the server sees it.
    applyProcessTypes(topo, new ForegroundTypes());
  } catch (err) {
    if (err instanceof TmuxServerNotRunning) {
      const where = socket.socketPath ? `socket ${socket.socketPath}` : socket.socketName ? `socket name ${socket.socketName}` : "the default socket";
      console.error(`panecast: no tmux server is running on ${where}`);
      return 3;
    }
    if (err instanceof TmuxNotInstalled) {
      console.error(`panecast: ${err.message}`);
      return 3;
    }
    throw err;
  }
  if (values.json) {
    console.log(JSON.stringify(statusJson(topo), null, 2));
    return 0;
  }
  console.log(statusTable(topo));
  return 0;
}

export function statusJson(topo: Topology): unknown {
  return {
    sessions: topo.sessions.map((s) => ({
      name: s.name,
      id: s.id,
      ...(s.node !== undefined ? { node: s.node, offline: s.offline === true } : {}),
      attached: s.attached,
      windows: s.windows.map((w) => ({
        index: w.index,
        id: w.id,
        name: w.name,
        active: w.active,
        panes: w.panes.map((p) => ({
          id: p.id,
          ...(p.node !== undefined ? { node: p.node } : {}),
          index: p.index,
          title: p.title,
          command: p.command,
          agent_type: p.agentType,
          width: p.width,
          height: p.height,
          active: p.active,
          agent_id: p.agentId,
          dead: p.dead,
          pid: p.pid,
          cwd: p.cwd,
        })),
      })),
    })),
  };
}

export function statusTable(topo: Topology): string {
  if (topo.sessions.length === 0) return "no sessions";
  const rows: string[][] = [["PANE", "TARGET", "AGENT", "TYPE", "COMMAND", "SIZE", "TITLE"]];
  for (const s of topo.sessions) {
    for (const w of s.windows) {
      for (const p of w.panes) {
        rows.push([
          p.id,
          `${s.name}:${w.index}.${p.index}${p.active && w.active ? "*" : ""}`,
          p.agentId ?? "-",
          p.agentType,
          p.dead ? `${p.command} (dead)` : p.command,
          `${p.width}x${p.height}`,
          p.title.slice(0, 40),
        ]);
      }
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")).join("\n");
}
