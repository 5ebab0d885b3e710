import { AGENT_STATES } from "@/lib/protocol";

/** Colours people already read these states by; any other state gets one from the palette. */
const NAMED: Readonly<Record<string, string>> = { working: "#3fb950", "waiting-for-input": "#d29922", error: "#f85149", idle: "#6e7681", exited: "#30363d" };
const PALETTE = ["#58a6ff", "#a371f7", "#39c5cf", "#db61a2", "#8b949e"];

/** A colour per state, derived from AGENT_STATES (a state added there gets a palette colour). */
export const STATE_COLORS: Readonly<Record<string, string>> = Object.fromEntries(AGENT_STATES.map((s, i) => [s, NAMED[s] ?? PALETTE[i % PALETTE.length]!]));

export function stateColor(state: string): string {
  return STATE_COLORS[state] ?? "transparent";
}
