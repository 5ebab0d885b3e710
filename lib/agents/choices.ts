import { frameHash } from "../panes/hash.ts";
import type { AnswerChoice, SendKey } from "../protocol.ts";
import { lastLines } from "./status.ts";

/** A prompt read off a waiting screen: its question, the answers it offers, and a name for it. */
export interface ParsedPrompt {
  question: string | null;
  choices: AnswerChoice[];
  /** Hash of the question and the labels (not the cursor): the same prompt keeps its hash while its cursor moves. */
  hash: string;
}

/** How far up a waiting screen the prompt is looked for, and how near the bottom its last option must be. */
const TAIL = 24;
const OPTIONS_NEAR_BOTTOM = 6;
const MAX_OPTIONS = 9;

// `❯ 1. Yes` (Claude Code), `› 1. Yes, proceed (y)` (Codex), `● 1. Allow once` (Gemini CLI), `2) no`.
const OPTION = /^\s*(?<mark>[❯›>●▶→*]\s*)?(?:[○◯]\s*)?(?<n>[1-9])[.)]\s+(?<label>\S.*?)\s*$/;
const YES_NO = [/\[y\/n\]/i, /\(y\/n\)/i, /\(y\)es\s*\/\s*\(n\)o/i];

/**
 * The choices a waiting screen offers. A numbered menu with a cursor (the agent CLIs draw one) is
 * answered by moving the cursor with Up/Down from where it is and pressing Enter, which every one of
 * them takes; a numbered list without a cursor by the digit and Enter. `[y/n]`, `(y/n)`, `(y)es/(n)o`
 * (aider's `(Y)es/(N)o … [Yes]:` too) read a line: `y` or `n`, then Enter. Choices whose keys are not
 * plain keys (aider's `(D)on't ask again`, Codex's `[a] Always`) are left out rather than guessed.
 * Null when the screen shows no prompt it recognises. Pure: tested on recorded screens.
 */
export function parsePrompt(frame: readonly string[]): ParsedPrompt | null {
  const tail = lastLines(frame, TAIL).map(unbox).filter((l) => l.trim() !== "");
  return numbered(tail) ?? yesNo(tail);
}

/** A screen line without the box an agent CLI draws around its dialog. */
function unbox(line: string): string {
  return line.replace(/^\s*[│┃|]\s?/, "").replace(/\s*[│┃|]\s*$/, "");
}

function numbered(tail: string[]): ParsedPrompt | null {
  let last = -1;
  for (let i = tail.length - 1; i >= Math.max(0, tail.length - OPTIONS_NEAR_BOTTOM); i--) {
    if (OPTION.test(tail[i]!)) {
      last = i;
      break;
    }
  }
  if (last < 0) return null;
  // Walk up from the last option to option 1, each number one less; a label may wrap onto one more line.
  const found: Array<{ at: number; n: number; label: string; marked: boolean }> = [];
  let want = Number(OPTION.exec(tail[last]!)!.groups!.n);
  for (let i = last; i >= 0 && want >= 1 && last - i <= MAX_OPTIONS * 2; i--) {
    const m = OPTION.exec(tail[i]!);
    if (m && Number(m.groups!.n) === want) {
      found.unshift({ at: i, n: want, label: m.groups!.label!, marked: m.groups!.mark !== undefined });
      want--;
    } else if (found.length > 0 && found[0]!.at - i > 1) return null;
  }
  if (want !== 0 || found.length < 2) return null;
  const cursor = found.findIndex((o) => o.marked);
  const choices = found.map((o, idx): AnswerChoice => ({ label: o.label, keys: cursor >= 0 ? moves(cursor, idx) : [String(o.n) as SendKey, "Enter"] }));
  const question = questionAbove(tail, found[0]!.at);
  return { question, choices, hash: hashOf(question, choices) };
}

function moves(from: number, to: number): SendKey[] {
  const step: SendKey = to > from ? "Down" : "Up";
  return [...Array.from({ length: Math.abs(to - from) }, () => step), "Enter"];
}

/** The question a menu answers: the nearest line above it that ends in "?", else the line just above. */
function questionAbove(tail: string[], first: number): string | null {
  for (let i = first - 1; i >= Math.max(0, first - 4); i--) if (/\?\s*$/.test(tail[i]!)) return tail[i]!.trim();
  return first > 0 ? tail[first - 1]!.trim() : null;
}

/** A line-reading yes/no question: only on the last line, where the cursor waits (above it, it was answered). */
function yesNo(tail: string[]): ParsedPrompt | null {
  const line = tail.at(-1);
  if (line === undefined || !YES_NO.some((re) => re.test(line))) return null;
  const choices: AnswerChoice[] = [
    { label: "Yes", keys: ["y", "Enter"] },
    { label: "No", keys: ["n", "Enter"] },
  ];
  // What was typed after the prompt is not part of it: "Deploy? [y/n] n" is still the same question.
  const question = line.replace(/([\]):?])[^\]):?]*$/, "$1").trim();
  return { question, choices, hash: hashOf(question, choices) };
}

function hashOf(question: string | null, choices: AnswerChoice[]): string {
  return frameHash([question ?? "", ...choices.map((c) => c.label)]).toString(16).padStart(8, "0");
}
