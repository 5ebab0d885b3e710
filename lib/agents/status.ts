import { stripAnsi } from "../ansi.ts";
import type { AgentState, AgentType, ErrorReason } from "../protocol.ts";
import { errorReason, resetTime } from "./error-reason.ts";
import type { StateRules } from "./rules/index.ts";

export { compileRules, DEFAULT_RULES, RULE_KINDS, type RuleKind, type RuleSources, type StateRules } from "./rules/index.ts";

export interface StatusInput {
  agentType: AgentType;
  lines: readonly string[];
  dead: boolean;
  /** The pane runs a shell itself (nothing in the foreground). */
  atShell: boolean;
  /** Output within the activity window (for panes whose screen says nothing definite). */
  recentlyActive: boolean;
  /** The pane's title, for agents that show their state there. */
  title?: string;
}

export interface Detected {
  state: AgentState;
  /** The line that decided it, for the alert text and the tooltip. */
  line: string | null;
  /** A rule matched (or the pane is dead): the screen says so, rather than activity guessing it. */
  decisive: boolean;
  /** state "error": why, from the error line. */
  reason?: ErrorReason;
  /** reason "rate-limit": when it resets, when the screen says. */
  resetAt?: string;
  /** The agent's input box holds typed text (a person typing: idle, never an alert). */
  typing?: boolean;
  /** An unsettled line (a status line torn by a redraw) left the prompt undecided. */
  unsettled?: boolean;
}

/** Lines that only draw: box borders, rules, blank space. */
const CHROME = /^[\s─━═╭╮╰╯│┃|▔▁-]*$/;
/** A line that starts a turn or a message (Claude's ●/⏺, a bullet, a prompt echo). */
const TURN_START = /^\s*[│|]?\s*(●|⏺|•|◦|✦|>|›|▌|❯)\s/;
/**
 * How far from the bottom the idle prompt may be, in lines of text: 3, or more for a CLI that draws
 * a taller footer under its input box in every state (Cline: model, work tree and approval lines).
 */
const IDLE_REACH: Partial<Record<AgentType, number>> = { cline: 5 };
/** How many lines of text above the idle prompt an unanswered error may sit. */
const ERROR_REACH = 4;

/**
 * The state of the agent in a pane, from its screen alone: waiting for input, working, idle at its
 * prompt (typing counts as idle), failed, or exited. The screen is read from the bottom up and the
 * lowest decisive line wins (later output supersedes earlier). A working indicator anywhere in the
 * tail beats an idle prompt: Claude Code keeps its input box drawn below the spinner while it works.
 * An error just above the idle prompt, with no later turn between them, is still the state: the
 * agent failed and drew its prompt again. An unsettled line (a status line torn by a redraw) makes
 * the prompt say nothing. With nothing decisive, the process and recent
 * activity say.
 */
export function detectStatus(input: StatusInput, rules: Record<AgentType, StateRules>, tailLines = 8, now: Date = new Date()): Detected {
  if (input.dead) return { state: "exited", line: null, decisive: true };
  const tail = lastLines(input.lines, tailLines);
  const r = rules[input.agentType];
  const test = (res: RegExp[], line: string) => res.some((re) => re.test(line));
  const titled = input.title !== undefined && test(r.title, input.title);
  const working = titled || tail.some((l) => test(r.working, l));
  // The input box is the nearest line of text above the prompt's hint line (boxes and rules skipped).
  const typingAbove = (at: number) => {
    for (let j = at - 1; j >= Math.max(0, at - 3); j--) {
      if (CHROME.test(tail[j]!)) continue;
      return test(r.input, tail[j]!);
    }
    return false;
  };
  for (let i = tail.length - 1; i >= 0; i--) {
    const line = tail[i]!;
    const near = i >= tail.length - 4;
    if (test(r.waiting, line)) return { state: "waiting-for-input", line: question(tail, i), decisive: true };
    if (test(r.working, line)) return { state: "working", line: line.trim(), decisive: true };
    // Text typed into the input box is never read as an error or a question, whatever it says.
    if (near && test(r.input, line) && boxBelow(tail, i)) return { state: working ? "working" : "idle", line: null, decisive: true, typing: !working };
    if (test(r.idle, line) && i >= tail.length - (IDLE_REACH[input.agentType] ?? 3)) {
      if (working) return { state: "working", line: null, decisive: true };
      if (typingAbove(i)) return { state: "idle", line: null, decisive: true, typing: true };
      const err = errorAbove(tail, i, r);
      if (err !== null) return failure(reasoned(err, input.lines, tailLines, r), now);
      // A status line that shows neither work nor its end: the prompt alone decides nothing.
      if (tail.some((l) => test(r.unsettled, l))) return { state: input.recentlyActive ? "working" : "idle", line: null, decisive: false, unsettled: true };
      return { state: "idle", line: null, decisive: true };
    }
    if (test(r.error, line)) return failure(reasoned(line.trim(), input.lines, tailLines, r), now);
  }
  if (titled) return { state: "working", line: null, decisive: true };
  if (input.atShell) return { state: "idle", line: null, decisive: false };
  return { state: input.recentlyActive ? "working" : "idle", line: null, decisive: false };
}

function failure(line: string, now: Date): Detected {
  const reason = errorReason(line);
  const resetAt = reason === "rate-limit" ? resetTime(line, now) : undefined;
  return { state: "error", line, decisive: true, reason, ...(resetAt ? { resetAt } : {}) };
}

/**
 * An error line that names no reason (Gemini's "ℹ This request failed…", a dialog's "1. Keep trying")
 * takes the reason of the nearest error line above it in the same turn (the "✕ [API Error: …401…]"
 * line, the dialog's heading "Usage limit reached …"), looking a few lines past the tail.
 */
function reasoned(line: string, lines: readonly string[], tailLines: number, r: StateRules): string {
  if (errorReason(line) !== "unknown") return line;
  const bare = (l: string) => l.replace(/^[\s│|]+|[\s│|]+$/g, "");
  const wide = lastLines(lines, tailLines + 8).map(bare);
  for (let j = wide.lastIndexOf(bare(line)) - 1; j >= 0; j--) {
    const above = wide[j]!;
    if (r.error.some((re) => re.test(above)) && errorReason(above) !== "unknown") return above;
    if (TURN_START.test(above)) break;
  }
  return line;
}

/**
 * Whether a line that looks like the input box holding text has the box's own edge or footer below
 * it (a rule, hints, a status bar), and no turn. A prompt echoed in the history looks the same (Gemini
 * CLI: " > Make a file"); a frame captured while the agent redraws from the top ends at it, or at the
 * answer below it, before the box and its footer are drawn again.
 */
function boxBelow(tail: string[], at: number): boolean {
  const below = tail.slice(at + 1);
  return below.length > 0 && !below.some((l) => TURN_START.test(l));
}

/** An error line between the prompt at `at` and the turn before it, or null when a later turn came. */
function errorAbove(tail: string[], at: number, r: StateRules): string | null {
  let text = 0;
  for (let j = at - 1; j >= 0 && text < ERROR_REACH; j--) {
    const line = tail[j]!;
    if (CHROME.test(line) || r.idle.some((re) => re.test(line))) continue;
    text++;
    if (r.error.some((re) => re.test(line))) return line.trim();
    if (TURN_START.test(line)) return null;
  }
  return null;
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
