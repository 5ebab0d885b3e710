import { AGENT_TYPES, type AgentType } from "../protocol.ts";

/** The kinds of screen line a rule recognises. `input`: the agent's input box holding typed text. */
export const RULE_KINDS = ["waiting", "working", "idle", "error", "input"] as const;

export type RuleKind = (typeof RULE_KINDS)[number];

export type StateRules = Record<RuleKind, RegExp[]>;

export type RuleSources = Partial<Record<AgentType, Partial<Record<RuleKind, string[]>>>>;

/**
 * What each agent CLI shows in each state, as seen on its screen. Only the bottom of the screen is
 * read (old scrollback lies: yesterday's error is still up there), and the idle prompt is looked for
 * on the last lines only. Claude Code, Codex and Gemini CLI from their recorded screens
 * (tests/fixtures); Qwen Code (a Gemini CLI fork) from its message catalogue; OpenCode, Copilot CLI
 * and Cline from the strings of their released binaries; Crush from its source.
 */
export const DEFAULT_RULES: Record<AgentType, Record<RuleKind, string[]>> = {
  claude: {
    waiting: ["do you want to (proceed|make this edit|create|run|allow)", "❯\\s*1\\.\\s*yes", "\\b1\\. yes\\b", "would you like to", "\\[y/n\\]", "press enter to continue", "allow (this|once|always)"],
    working: ["esc to interrupt", "\\(\\d+s · [↑↓]"],
    idle: ["^\\s*[│|]?\\s*[❯>]\\s*[│|]?\\s*$", "\\? for shortcuts"],
    error: ["^\\s*(✗|✘)\\s", "^\\s*error:", "api error", "^\\s*⎿\\s*error"],
    input: ["^\\s*[│|]?\\s*[❯>]\\s+[^\\s│|]"],
  },
  codex: {
    waiting: ["allow command\\?", "would you like to (run|make|apply)", "\\[y/n\\]", "\\(y/n\\)", "\\(y\\)es", "do you want", "yes, proceed", "press enter to confirm"],
    working: ["esc to interrupt", "^\\s*[•◦]\\s*working\\b", "thinking"],
    idle: ["^\\s*[▌›>]\\s*$", "send a message", "\\? for shortcuts", "context left"],
    error: ["^\\s*■\\s", "^\\s*error", "stream error", "✗", "unexpected status \\d{3}"],
    input: ["^\\s*[▌›]\\s+\\S"],
  },
  aider: {
    waiting: ["\\(y\\)es/\\(n\\)o", "\\[yes\\]:", "\\(y/n\\)"],
    working: ["waiting for", "thinking"],
    idle: ["^[\\w./-]*>\\s*$"],
    error: ["^\\s*error", "litellm\\.", "traceback"],
    input: ["^[\\w./-]*>\\s+\\S"],
  },
  gemini: {
    waiting: ["allow execution", "yes, allow once", "waiting for user confirmation", "\\[y/n\\]", "apply this change\\?", "do you want to proceed"],
    working: ["esc to cancel"],
    idle: ["^\\s*[│|]?\\s*>\\s+type your message", "type your message"],
    error: ["^\\s*✕", "^\\s*error", "api error"],
    input: ["^\\s*[│|]?\\s*>\\s+(?!type your message)[^\\s│|]"],
  },
  opencode: {
    waiting: ["permission required", "allow once", "allow always", "\\breject\\b.*\\ballow\\b|\\ballow\\b.*\\breject\\b"],
    working: ["esc interrupt", "esc to interrupt", "working\\.\\.\\."],
    idle: ["ctrl\\+p commands", "ask anything", "enter send"],
    error: ["^\\s*error", "api error", "provider ?error"],
    input: [],
  },
  copilot: {
    waiting: ["do you want to (run|allow|edit|create|proceed)", "❯\\s*1\\.\\s*yes", "\\b1\\. yes\\b", "allow (this|once|always)"],
    working: ["esc to (cancel|interrupt)"],
    idle: ["^\\s*[│|]?\\s*[❯>]\\s*[│|]?\\s*$", "enter @ to mention files", "ctrl\\+c exit", "\\? for shortcuts"],
    error: ["^\\s*(✗|✘)\\s", "^\\s*error:", "api error", "execution failed"],
    input: ["^\\s*[│|]?\\s*[❯>]\\s+[^\\s│|]"],
  },
  qwen: {
    waiting: ["allow execution", "yes, allow once", "waiting for user confirmation", "\\[y/n\\]", "apply this change\\?", "do you want to proceed"],
    working: ["esc to cancel"],
    idle: ["type your message", "\\? for shortcuts"],
    error: ["^\\s*✕", "^\\s*error", "api error"],
    input: ["^\\s*[│|]?\\s*>\\s+(?!type your message)[^\\s│|]"],
  },
  cline: {
    waiting: ["approve\\?", "\\(y/n\\)", "\\[y/n\\]", "do you want to (run|allow|proceed|save)", "allow (once|always)", "\\bapprove\\b.*\\breject\\b"],
    working: ["esc to (cancel|interrupt)", "thinking\\.\\.\\."],
    idle: ["^\\s*[│|]?\\s*[❯>]\\s*[│|]?\\s*$", "type your message", "\\? for shortcuts"],
    error: ["^\\s*error", "api error", "api request failed"],
    input: ["^\\s*[│|]?\\s*[❯>]\\s+[^\\s│|]"],
  },
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
    const pick = (k: RuleKind) => (o[k] ?? base[k]).map((src) => new RegExp(src, "i"));
    out[type] = { waiting: pick("waiting"), working: pick("working"), idle: pick("idle"), error: pick("error"), input: pick("input") };
  }
  return out;
}
