import type { AgentStatus, ErrorReason } from "../protocol.ts";

/**
 * Why an agent failed, from the text it gave: a screen line, or StopFailure's error fields. The
 * first match wins, most specific first (a 529 is a 5xx too, a 404 may be a missing model).
 */
const PATTERNS: ReadonlyArray<[ErrorReason, RegExp]> = [
  ["rate-limit", /\b429\b|rate[ _-]?limit|too many requests|usage limit|quota (exceeded|exhausted)|resource[ _]exhausted|limit reached|limit will reset/i],
  ["overloaded", /\b529\b|overloaded|high demand|capacity (exceeded|exhausted)/i],
  ["auth", /\b401\b|\b403\b|unauthori[sz]ed|authentication|invalid (x-)?api[ _-]?key|api key (is )?(missing|invalid|not valid)|not logged in|please run \/login|login required|oauth token|billing|forbidden/i],
  ["model-unavailable", /model[^\n]{0,60}(not found|not available|unavailable|does not exist|not supported|is not allowed)|unknown model|invalid model|model_not_found|no such model/i],
  ["server", /\b5\d\d\b|internal server error|bad gateway|service unavailable|gateway timeout|server[ _]error|stream (error|disconnected)|connection (error|refused|reset)|econnrefused|econnreset|fetch failed|network error/i],
  ["crashed", /traceback \(most recent call last\)|\bpanic:|segmentation fault|fatal error|unhandled (promise )?rejection|uncaught exception|core dumped/i],
];

/** Claude Code's StopFailure `error` kinds, which say the reason outright. */
const KINDS: Record<string, ErrorReason> = {
  rate_limit: "rate-limit",
  authentication_failed: "auth",
  billing_error: "auth",
  server_error: "server",
  overloaded_error: "overloaded",
  overloaded: "overloaded",
  model_not_found: "model-unavailable",
};

export function errorReason(text: string): ErrorReason {
  const t = text.slice(0, 2000);
  const kind = KINDS[/^\s*([a-z_]+)\b/i.exec(t)?.[1]?.toLowerCase() ?? ""];
  // "server_error" is Claude Code's kind for a 529 too: the message then says which (overloaded).
  if (kind && kind !== "server") return kind;
  for (const [reason, re] of PATTERNS) if (re.test(t)) return reason;
  return "unknown";
}

/** Lines that tell the agent process itself died, rather than a request failing. */
export const CRASH = /traceback \(most recent call last\)|\bpanic:|segmentation fault|fatal error|unhandled (promise )?rejection|uncaught exception|core dumped/i;

/**
 * When a rate limit resets, from the agent's text: an ISO time, a clock time ("resets 3pm",
 * "reset at 14:05"), or a delay ("try again in 2h 5m", "retry after 30 seconds"). ISO 8601, or
 * undefined when the text names no time.
 */
export function resetTime(text: string, now: Date = new Date()): string | undefined {
  const iso = /\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)/.exec(text);
  if (iso) {
    const d = new Date(iso[1]!);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  const delay = /\b(?:in|after)\s+((?:\d+\s*(?:h|hours?|hrs?|m|min(?:ute)?s?|s|sec(?:ond)?s?)\b[\s,]*(?:and\s+)?)+)/i.exec(text);
  if (delay) {
    let ms = 0;
    for (const m of delay[1]!.matchAll(/(\d+)\s*(h|m|s)/gi)) ms += Number(m[1]) * ({ h: 3_600_000, m: 60_000, s: 1000 } as const)[m[2]!.toLowerCase() as "h" | "m" | "s"];
    if (ms > 0) return new Date(now.getTime() + ms).toISOString();
  }
  const clock = /\bresets?\b[^\d\n]{0,12}(\d{1,2})(?::(\d{2}))?\s*(am|pm)?/i.exec(text);
  if (clock && (clock[2] !== undefined || clock[3] !== undefined)) {
    let h = Number(clock[1]);
    const min = Number(clock[2] ?? 0);
    const ampm = clock[3]?.toLowerCase();
    if (ampm === "pm" && h < 12) h += 12;
    if (ampm === "am" && h === 12) h = 0;
    if (h > 23 || min > 59) return undefined;
    // A clock time is the next such time, in the server's time zone (the agent's, on one host).
    const d = new Date(now);
    d.setHours(h, min, 0, 0);
    if (d.getTime() <= now.getTime()) d.setDate(d.getDate() + 1);
    return d.toISOString();
  }
  return undefined;
}

/** An error's reason in words, with the reset time when known ("rate limit, resets 15:00"). */
export function errorText(s: Pick<AgentStatus, "reason" | "resetAt">): string {
  const words = (s.reason ?? "unknown").replace("-", " ");
  if (!s.resetAt) return words;
  const at = new Date(s.resetAt);
  return `${words}, resets ${at.toISOString().slice(11, 16)} UTC`;
}
