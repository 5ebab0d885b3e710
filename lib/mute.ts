/**
 * Muting panes, shared by the server (`notify.mute`: no push or webhook) and the browser (no sound,
 * toast or notification, out of the counts, last in the sort). Pure: no node imports, no I/O.
 */
import { PROCESS_STATES, type AgentState, type AgentType, type MuteKind, type MuteRule, type PaneInfo, type Topology } from "./protocol.ts";
import { globToRegExp, isAgentType } from "./topology.ts";

/** A mute pattern: printable, no control characters, at most 100 characters. */
export const MUTE_PATTERN = /^[^\x00-\x1f\x7f]{1,100}$/;

/** Most rules a list holds (a browser's or the settings'): a pane is tested against each. */
export const MAX_MUTE_RULES = 64;

/** What a pane is matched by. */
export interface MuteTarget {
  pane: string;
  session: string;
  /** Its window's name, when known. */
  window: string | null;
  windowIndex: number;
  agentId: string | null;
  agentType: AgentType;
  /** Its state now, when known: `running`/`quiet` make it a non-agent pane whatever its type says. */
  state?: AgentState | undefined;
}

/** Why a pane is muted: a rule of a kind, or being a non-agent pane (muted by default). */
export type MuteReason = MuteKind | "non-agent";

/** A non-agent pane: a program that is no agent CLI (a shell, a build), by its state or else its type. */
export function isNonAgent(t: Pick<MuteTarget, "agentType" | "state">): boolean {
  if (t.state !== undefined && t.state !== "offline") return (PROCESS_STATES as readonly string[]).includes(t.state);
  return !isAgentType(t.agentType);
}

/**
 * Whether a glob names this pane. Case-insensitive; `*` is any run of characters, `?` one. Without a
 * colon it is tried on the session name, the window name and the pane's `@agent_id`; with one, on
 * `session:window-name` and `session:window-index`, so `infra:*` is every pane of session infra.
 */
export function patternMatches(pattern: string, t: MuteTarget): boolean {
  return matches(compile(pattern), t);
}

interface Compiled {
  colon: boolean;
  re: RegExp;
}

function compile(pattern: string): Compiled {
  return { colon: pattern.includes(":"), re: new RegExp(globToRegExp(pattern).source, "i") };
}

function matches(p: Compiled, t: MuteTarget): boolean {
  const subjects = p.colon ? [`${t.session}:${t.window ?? ""}`, `${t.session}:${t.windowIndex}`] : [t.session, t.window ?? "", t.agentId ?? ""];
  return subjects.some((s) => s !== "" && p.re.test(s));
}

export interface MuteOptions {
  /** Non-agent panes are muted unless listed in `unmuted` (the page's default; the server never alerts on them). */
  nonAgents: boolean;
  /** Pane ids heard whatever rule or default would mute them. */
  unmuted?: readonly string[];
}

/** A list of rules compiled once, asked per pane. */
export class MuteMatcher {
  private readonly panes: Set<string>;
  private readonly types: Set<AgentType>;
  private readonly patterns: Compiled[];
  private readonly unmuted: Set<string>;
  private readonly nonAgents: boolean;

  constructor(rules: readonly MuteRule[], opts: MuteOptions) {
    this.panes = new Set(rules.flatMap((r) => (r.kind === "pane" ? [r.pane] : [])));
    this.types = new Set(rules.flatMap((r) => (r.kind === "type" ? [r.type] : [])));
    this.patterns = rules.flatMap((r) => (r.kind === "pattern" ? [compile(r.pattern)] : []));
    this.unmuted = new Set(opts.unmuted ?? []);
    this.nonAgents = opts.nonAgents;
  }

  /** Why the pane is muted, or null when it is heard. */
  reason(t: MuteTarget): MuteReason | null {
    if (this.unmuted.has(t.pane)) return null;
    if (this.panes.has(t.pane)) return "pane";
    if (this.types.has(t.agentType)) return "type";
    if (this.patterns.some((p) => matches(p, t))) return "pattern";
    return this.nonAgents && isNonAgent(t) ? "non-agent" : null;
  }

  muted(t: MuteTarget): boolean {
    return this.reason(t) !== null;
  }
}

/** A pane of a topology as a mute target, with its window's name; undefined when it is not there. */
export function muteTargetOf(topology: Topology, pane: string, state?: AgentState): MuteTarget | undefined {
  for (const s of topology.sessions) {
    for (const w of s.windows) {
      const p = w.panes.find((x) => x.id === pane);
      if (p) return targetOfPane(p, w.name, state);
    }
  }
  return undefined;
}

export function targetOfPane(p: PaneInfo, window: string | null, state?: AgentState): MuteTarget {
  return { pane: p.id, session: p.sessionName, window, windowIndex: p.windowIndex, agentId: p.agentId, agentType: p.agentType, state };
}

/** The server's rules (`notify.mute`) as a rule list. */
export function rulesOfSettings(mute: { patterns: readonly string[]; types: readonly AgentType[] }): MuteRule[] {
  return [...mute.patterns.map((pattern) => ({ kind: "pattern" as const, pattern })), ...mute.types.map((type) => ({ kind: "type" as const, type }))];
}
