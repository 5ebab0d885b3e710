import type { RecordingOutline } from "@/lib/protocol";

/** What one agent did while nobody watched, from its recording's outline. */
export interface AwayEntry {
  /** Time in each state (ms), in the order first entered. */
  timeIn: Array<{ state: string; ms: number }>;
  changes: Array<{ state: string; at: number }>;
  errors: Array<{ at: number; line: string }>;
  question: { at: number; line: string } | null;
  printed: number;
}

/** Pure, so it is the same in the browser and in tests. */
export function summarize(o: RecordingOutline, since: number, until: number): AwayEntry {
  const time = new Map<string, number>();
  const changes: AwayEntry["changes"] = [];
  const errors: AwayEntry["errors"] = [];
  let question: AwayEntry["question"] = null;
  let state = o.startState;
  let from = since;
  for (const m of o.marks) {
    if (m.state && m.state !== state) {
      if (state) time.set(state, (time.get(state) ?? 0) + (m.at - from));
      state = m.state;
      from = m.at;
      changes.push({ state: m.state, at: m.at });
    }
    if (m.line && (m.state === "error" || m.alert === "error" || m.alert === "critical")) {
      if (!errors.some((e) => e.line === m.line && Math.abs(e.at - m.at) < 1000)) errors.push({ at: m.at, line: m.line });
    }
    if (m.line && m.state === "waiting-for-input") question = { at: m.at, line: m.line };
  }
  if (state) time.set(state, (time.get(state) ?? 0) + (until - from));
  return { timeIn: [...time].map(([s, ms]) => ({ state: s, ms })), changes, errors, question, printed: o.printed };
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}`;
}
