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

/** Program and package names of agent CLIs, as they appear in argv or under node_modules. */
const AGENT_NAMES: Record<string, AgentType> = {
  claude: "claude",
  "claude-code": "claude",
  codex: "codex",
  gemini: "gemini",
  "gemini-cli": "gemini",
  aider: "aider",
  "aider-chat": "aider",
  opencode: "opencode",
  "opencode-ai": "opencode",
  copilot: "copilot",
  qwen: "qwen",
  "qwen-code": "qwen",
  cline: "cline",
  crush: "crush",
};

/** Programs that run another program named by their arguments. */
const RUNNERS = /^(node|nodejs|bun|deno|tsx|python[\d.]*|pypy[\d.]*|uv|uvx|pipx|npx|pnpx|bunx|npm|pnpm|yarn)$/;

const base = (p: string): string => (p.split("/").pop() ?? p).toLowerCase().replace(/\.(js|mjs|cjs|ts|exe|py)$/, "");

/** The agent a path names: its own name, the package it sits in under node_modules, or Claude Code's versions folder. */
function agentOfPath(p: string): AgentType | null {
  const own = AGENT_NAMES[base(p).replace(/@[^@/]*$/, "")];
  if (own) return own;
  const parts = p.toLowerCase().split("/");
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] !== "node_modules") continue;
    const pkg = parts[i + 1]!.startsWith("@") ? parts[i + 2] : parts[i + 1];
    if (pkg && AGENT_NAMES[pkg]) return AGENT_NAMES[pkg]!;
  }
  // A native Claude Code runs from ~/.local/share/claude/versions/<version>, named by its version.
  if (/^\d+\.\d+\.\d+/.test(base(p)) && parts.includes("claude")) return "claude";
  return null;
}

/**
 * Which agent CLI a process is, from its argv (and its command name, which a native Claude Code sets
 * to its version): the program itself, or for a runner (node, python, npx, uv) the script or package
 * it runs, so `node …/@openai/codex/bin/codex.js`, `node …/bin/gemini` and `python -m aider` are
 * recognised. A shell is "shell", anything else "other".
 */
export function agentTypeOfProcess(argv: readonly string[], comm = ""): AgentType {
  const prog = argv[0] ?? comm;
  const direct = agentOfPath(prog);
  if (direct) return direct;
  if (RUNNERS.test(base(prog))) {
    for (let i = 1; i < argv.length && i < 8; i++) {
      const a = argv[i]!;
      if (a === "-m" && argv[i + 1]) return AGENT_NAMES[argv[i + 1]!.toLowerCase()] ?? "other";
      // Options and their values (node --max-old-space-size=…, npm exec --yes) come before the script.
      if (a.startsWith("-") || a === "exec" || a === "dlx" || a === "x" || a === "run") continue;
      // A package spec (`@openai/codex@0.171.0`) loses its version; a path stays as it is.
      const t = agentOfPath(/^(@[^/@]+\/)?[^/@]+@[^/]*$/.test(a) ? a.slice(0, a.lastIndexOf("@")) : a);
      if (t) return t;
      if (!RUNNERS.test(base(a))) break;
    }
  }
  if (/^\d+\.\d+\.\d+$/.test(comm) && /claude/i.test(prog)) return "claude";
  if (isShellCommand(base(prog).replace(/^-/, ""))) return "shell";
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

/** Whether a type is an agent CLI (not a shell, not another program). */
export function isAgentType(type: AgentType): boolean {
  return type !== "shell" && type !== "other";
}

/**
 * A pane's name on its card: its `@agent_id`, else its agent type and the name of its work tree (the
 * git root, else the working directory), such as "codex · api". Never the pane title: tmux's default
 * title is the host name, the same on every pane.
 */
export function paneLabel(p: Pick<PaneInfo, "agentId" | "agentType" | "cwd" | "sessionName" | "windowIndex" | "index">, gitRoot: string | null = null): string {
  if (p.agentId) return p.agentId;
  const dir = (gitRoot ?? p.cwd).replace(/\/+$/, "").split("/").pop();
  return dir ? `${p.agentType} · ${dir}` : `${p.agentType} · ${p.sessionName}:${p.windowIndex}.${p.index}`;
}
