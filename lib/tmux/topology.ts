import type { PaneInfo, SessionInfo, Topology, WindowInfo } from "../protocol.ts";
import { detectAgentType } from "../topology.ts";
import type { TmuxReads } from "./runtime.ts";
import { TmuxServerNotRunning } from "./errors.ts";

/** Field separator: tmux prints 0x1f as it is (tab and other controls in names come back escaped). */
const SEP = "\u001f";

const BASE_FIELDS = [
  "session_id",
  "session_name",
  "session_attached",
  "window_id",
  "window_index",
  "window_name",
  "window_active",
  "pane_id",
  "pane_index",
  "pane_title",
  "pane_current_command",
  "pane_start_command",
  "pane_width",
  "pane_height",
  "pane_active",
  "pane_dead",
  "pane_pid",
  "pane_current_path",
] as const;

const USER_OPTION = /^[A-Za-z0-9_-]{1,32}$/;

export function topologyFormat(userOptions: readonly string[]): string {
  const opts = userOptions.filter((o) => USER_OPTION.test(o));
  return [...BASE_FIELDS.map((f) => `#{${f}}`), ...opts.map((o) => `#{@${o}}`)].join(SEP);
}

/** The whole topology (sessions, windows, panes) from ONE tmux process. */
export async function readTopology(runtime: TmuxReads, userOptions: readonly string[] = ["agent_id"]): Promise<Topology> {
  const opts = userOptions.filter((o) => USER_OPTION.test(o));
  const r = await runtime.raw(["list-panes", "-a", "-F", topologyFormat(opts)]);
  if (r.exitCode !== 0) {
    // A server with no sessions has exited; "no server" and "no sessions" both mean nothing to watch.
    if (/no server running|error connecting|no sessions/i.test(r.stderr)) throw new TmuxServerNotRunning(r.stderr.trim());
    return parseTopology("", opts);
  }
  return parseTopology(r.stdout, opts);
}

export function parseTopology(stdout: string, userOptions: readonly string[]): Topology {
  const sessions = new Map<string, SessionInfo>();
  const windows = new Map<string, WindowInfo>();
  for (const line of stdout.split("\n")) {
    if (!line) continue;
    const f = line.split(SEP);
    if (f.length < BASE_FIELDS.length) continue;
    const v = (name: (typeof BASE_FIELDS)[number]): string => f[BASE_FIELDS.indexOf(name)] ?? "";
    const sessionId = v("session_id");
    let session = sessions.get(sessionId);
    if (!session) {
      session = { id: sessionId, name: v("session_name"), attached: int(v("session_attached")) ?? 0, windows: [] };
      sessions.set(sessionId, session);
    }
    const windowId = v("window_id");
    let window = windows.get(`${sessionId}/${windowId}`);
    if (!window) {
      window = { id: windowId, index: int(v("window_index")) ?? 0, name: v("window_name"), active: v("window_active") === "1", panes: [] };
      windows.set(`${sessionId}/${windowId}`, window);
      session.windows.push(window);
    }
    const options: Record<string, string> = {};
    userOptions.forEach((name, i) => {
      const value = f[BASE_FIELDS.length + i];
      if (value) options[name] = value;
    });
    const title = v("pane_title");
    const command = v("pane_current_command");
    const pane: PaneInfo = {
      id: v("pane_id"),
      index: int(v("pane_index")) ?? 0,
      sessionId,
      sessionName: session.name,
      windowId,
      windowIndex: window.index,
      title,
      command,
      agentType: detectAgentType(command, title, v("pane_start_command")),
      agentId: options.agent_id ?? null,
      width: int(v("pane_width")) ?? 80,
      height: int(v("pane_height")) ?? 24,
      active: v("pane_active") === "1",
      dead: v("pane_dead") === "1",
      pid: int(v("pane_pid")),
      cwd: v("pane_current_path"),
      options,
    };
    window.panes.push(pane);
  }
  const list = [...sessions.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const s of list) {
    s.windows.sort((a, b) => a.index - b.index);
    for (const w of s.windows) w.panes.sort((a, b) => a.index - b.index);
  }
  return { sessions: list };
}

function int(s: string): number | null {
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? n : null;
}
