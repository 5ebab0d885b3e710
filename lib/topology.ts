/**
 * Pure helpers over the fleet's topology, shared by the server and the browser: no node imports, no
 * tmux, no I/O. lib/tmux builds topologies; everything above reads them with these.
 */
import type { AgentType, PaneInfo, Topology } from "./protocol.ts";

const SHELLS = new Set(["bash", "zsh", "fish", "sh", "dash", "ksh", "tcsh", "csh", "nu", "pwsh", "elvish", "xonsh"]);

/** Whether a pane's current command is a shell (a login shell shows as "-bash"). */
export function isShellCommand(command: string): boolean {
  return SHELLS.has(command.toLowerCase().replace(/^-/, ""));
}

/**
 * Which agent CLI a pane runs, from its current command, title and start command (seed 004's
 * TmuxPatterns). Agent CLIs are often node or python processes, so the title counts too: Claude Code
 * sets titles such as "✳ Claude Code".
 */
export function detectAgentType(command: string, title = "", startCommand = ""): AgentType {
  const cmd = command.toLowerCase();
  const hay = `${cmd} ${title.toLowerCase()} ${startCommand.toLowerCase()}`;
  if (/\bclaude\b/.test(hay)) return "claude";
  if (/\bcodex\b/.test(hay)) return "codex";
  if (/\baider\b/.test(hay)) return "aider";
  if (/\bgemini\b/.test(hay)) return "gemini";
  if (isShellCommand(cmd)) return "shell";
  return "other";
}

export function allPanes(t: Topology): PaneInfo[] {
  return t.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
}

/** Keeps only the sessions a glob list allows (empty list: all). Globs support `*` and `?`. */
export function filterSessions(t: Topology, globs: readonly string[]): Topology {
  if (globs.length === 0) return t;
  const res = globs.map(globToRegExp);
  return { sessions: t.sessions.filter((s) => res.some((re) => re.test(s.name))) };
}

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}
