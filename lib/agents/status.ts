import { stripAnsi } from "../ansi.ts";
import { AGENT_TYPES, type AgentState, type AgentType } from "../protocol.ts";
import { CLAUDE_RULES } from "./rules/claude.ts";
import { CODEX_RULES } from "./rules/codex.ts";
import { GEMINI_RULES } from "./rules/gemini.ts";

export interface StateRules {
  waiting: RegExp[];
  working: RegExp[];
  idle: RegExp[];
  error: RegExp[];
}

export type RuleSources = Partial<Record<AgentType, Partial<Record<keyof StateRules, string[]>>>>;

/**
 * What each agent CLI shows in each state, as seen on its screen. Only the bottom of the screen is
 * read (old scrollback lies: yesterday's error is still up there), and the idle prompt is looked for
 * on the last lines only. Claude Code, Codex and Gemini CLI have a file each in rules/, written from
 * their recorded screens.
 */
export const DEFAULT_RULES: Record<AgentType, Record<keyof StateRules, string[]>> = {
  claude: CLAUDE_RULES,
  codex: CODEX_RULES,
  aider: {
    waiting: ["\\(y\\)es/\\(n\\)o", "\\[yes\\]:", "\\(y/n\\)"],
    working: ["waiting for", "thinking"],
    idle: ["^[\\w./-]*>\\s*$"],
    error: ["^\\s*error", "litellm\\.", "traceback"],
  },
  gemini: GEMINI_RULES,
  shell: {
    waiting: ["password( for \\S+)?:\\s*$", "\\[y/n\\]\\s*$", "\\(yes/no(/\\[fingerprint\\])?\\)\\??\\s*$", "continue\\?\\s*$"],
    working: [],
    idle: ["[$#%>❯]\\s*$"],
    error: ["command not found", "^\\s*error", "no such file or directory"],
  },
  other: {
    waiting: ["\\[y/n\\]\\s*$", "password:\\s*$", "press enter", "\\(y\\)es"],
    working: [],
    idle: [],
    error: ["^\\s*error", "traceback \\(most recent call last\\)", "\\bpanic:"],
  },
};

export function compileRules(overrides: RuleSources = {}): Record<AgentType, StateRules> {
  const out = {} as Record<AgentType, StateRules>;
  for (const type of AGENT_TYPES) {
    const base = DEFAULT_RULES[type];
    const o = overrides[type] ?? {};
    const pick = (k: keyof StateRules) => (o[k] ?? base[k]).map((src) => new RegExp(src, "i"));
    out[type] = { waiting: pick("waiting"), working: pick("working"), idle: pick("idle"), error: pick("error") };
  }
  return out;
}

export interface StatusInput {
  agentType: AgentType;
  lines: readonly string[];
  dead: boolean;
  /** The pane runs a shell itself (nothing in the foreground). */
  atShell: boolean;
  /** Output within the activity window (for panes whose screen says nothing definite). */
  recentlyActive: boolean;
}

export interface Detected {
  state: AgentState;
  /** The line that decided it, for the alert text and the tooltip. */
  line: string | null;
  /** A rule matched (or the pane is dead): the screen says so, rather than activity guessing it. */
  decisive: boolean;
}

/**
 * The state of the agent in a pane: waiting for input, working, idle at its prompt, failed, or
 * exited. The screen is read from the bottom up and the lowest decisive line wins (later output
 * supersedes earlier: an answered question or an old error above a fresh prompt no longer counts).
 * A working indicator anywhere in the tail beats an idle prompt: Claude Code keeps its input box
 * drawn below the spinner while it works. With nothing decisive, the process and recent activity say.
 */
export function detectStatus(input: StatusInput, rules: Record<AgentType, StateRules>, tailLines = 8): Detected {
  if (input.dead) return { state: "exited", line: null, decisive: true };
  const tail = lastLines(input.lines, tailLines);
  const r = rules[input.agentType];
  const test = (res: RegExp[], line: string) => res.some((re) => re.test(line));
  const working = tail.some((l) => test(r.working, l));
  for (let i = tail.length - 1; i >= 0; i--) {
    const line = tail[i]!;
    if (test(r.waiting, line)) return { state: "waiting-for-input", line: question(tail, i), decisive: true };
    if (test(r.working, line)) return { state: "working", line: line.trim(), decisive: true };
    if (test(r.error, line)) return { state: "error", line: line.trim(), decisive: true };
    if (test(r.idle, line) && i >= tail.length - 3) return { state: working ? "working" : "idle", line: null, decisive: true };
  }
  if (input.atShell) return { state: "idle", line: null, decisive: false };
  return { state: input.recentlyActive ? "working" : "idle", line: null, decisive: false };
}

/** The question a matched option belongs to: the nearest line above (or at) it that ends in "?". */
function question(tail: string[], at: number): string {
  let q = at;
  for (let i = at; i >= Math.max(0, at - 4); i--) {
    if (/\?\s*[│|]?\s*$/.test(tail[i]!)) {
      q = i;
      break;
    }
  }
  return tail[q]!.replace(/^[\s│|]+|[\s│|]+$/g, "");
}

/** The last `n` non-blank lines of a screen, escapes removed. */
export function lastLines(lines: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0 && out.length < n; i--) {
    const plain = stripAnsi(lines[i]!).replace(/\s+$/, "");
    if (plain.trim() !== "") out.unshift(plain);
  }
  return out;
}
