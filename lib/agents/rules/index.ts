import { AGENT_TYPES, type AgentType } from "../../protocol.ts";
import { CLAUDE_RULES } from "./claude.ts";
import { CLINE_RULES } from "./cline.ts";
import { CODEX_RULES, CODEX_TITLE_RULES } from "./codex.ts";
import { COPILOT_RULES } from "./copilot.ts";
import { GEMINI_RULES } from "./gemini.ts";
import { OPENCODE_RULES } from "./opencode.ts";
import { QWEN_RULES } from "./qwen.ts";

/**
 * The kinds of screen line a rule recognises. `input`: the agent's input box holding typed text;
 * `title`: the pane's title while the agent works (Codex shows a running turn only there);
 * `unsettled`: a line that shows neither work nor its end (a status line torn mid-redraw): with one
 * on screen the idle prompt decides nothing, and hooks or recent output say.
 */
export const RULE_KINDS = ["waiting", "working", "idle", "error", "input", "title", "unsettled"] as const;

export type RuleKind = (typeof RULE_KINDS)[number];

export type StateRules = Record<RuleKind, RegExp[]>;

export type RuleSources = Partial<Record<AgentType, Partial<Record<RuleKind, string[]>>>>;

/**
 * What each agent CLI shows in each state, as seen on its screen. Only the bottom of the screen is
 * read (old scrollback lies: yesterday's error is still up there), and the idle prompt is looked for
 * on the last lines only. Claude Code, Codex, Gemini CLI, Qwen Code, OpenCode, Copilot CLI and Cline
 * have a file each here, written from their recorded screens (tests/fixtures/agents), plus the
 * input box holding typed text; Crush from its source (its npm package downloads its binary at
 * install, so it was never run).
 */
export const DEFAULT_RULES: Record<AgentType, Record<Exclude<RuleKind, "title" | "unsettled">, string[]> & { title?: string[]; unsettled?: string[] }> = {
  claude: { ...CLAUDE_RULES, input: ["^\\s*[│|]?\\s*[❯>]\\s+[^\\s│|]"] },
  codex: { ...CODEX_RULES, title: CODEX_TITLE_RULES, input: ["^\\s*[▌›]\\s+(?!ask codex to do anything)[^\\s│|]"] },
  aider: {
    waiting: ["\\(y\\)es/\\(n\\)o", "\\[yes\\]:", "\\(y/n\\)"],
    working: ["waiting for", "thinking"],
    idle: ["^[\\w./-]*>\\s*$"],
    error: ["^\\s*error", "litellm\\.", "traceback"],
    input: ["^[\\w./-]*>\\s+\\S"],
  },
  gemini: { ...GEMINI_RULES, input: ["^\\s*[│|]?\\s*>\\s+(?!type your message)[^\\s│|]"] },
  opencode: { ...OPENCODE_RULES, input: [] },
  copilot: { ...COPILOT_RULES, input: ["^\\s*[│|]?\\s*[❯>]\\s+[^\\s│|]"] },
  qwen: { ...QWEN_RULES, input: ["^\\s*[│|]?\\s*>\\s+(?!type your message)[^\\s│|]"] },
  cline: { ...CLINE_RULES, input: [] },
  crush: {
    waiting: ["permission required", "allow for session", "\\ballow\\b.*\\bdeny\\b"],
    working: ["ctrl\\+c to cancel", "esc (to )?cancel", "thinking\\.\\.\\."],
    idle: ["ready for instructions", "ctrl\\+p commands", "ctrl\\+\\? help"],
    error: ["^\\s*error", "api error"],
    input: [],
  },
  shell: {
    waiting: ["password( for \\S+)?:\\s*$", "\\[y/n\\]\\s*$", "\\(yes/no(/\\[fingerprint\\])?\\)\\??\\s*$", "continue\\?\\s*$"],
    working: [],
    idle: ["[$#%>❯]\\s*$"],
    error: ["command not found", "^\\s*error", "no such file or directory"],
    input: [],
  },
  other: {
    waiting: ["\\[y/n\\]\\s*$", "password:\\s*$", "press enter", "\\(y\\)es"],
    working: [],
    idle: [],
    error: ["^\\s*error", "traceback \\(most recent call last\\)", "\\bpanic:"],
    input: [],
  },
};

/** The default rules with each configured kind replacing the default list of that kind. */
export function compileRules(overrides: RuleSources = {}): Record<AgentType, StateRules> {
  const out = {} as Record<AgentType, StateRules>;
  for (const type of AGENT_TYPES) {
    const base = DEFAULT_RULES[type];
    const o = overrides[type] ?? {};
    const pick = (k: RuleKind) => (o[k] ?? base[k as keyof typeof base] ?? []).map((src) => new RegExp(src, "i"));
    out[type] = { waiting: pick("waiting"), working: pick("working"), idle: pick("idle"), error: pick("error"), input: pick("input"), title: pick("title"), unsettled: pick("unsettled") };
  }
  return out;
}
