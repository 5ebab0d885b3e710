import { stripAnsi } from "../ansi.ts";
import { AGENT_STATES, type AgentState, type AgentStatus, type FleetEvent, type NeedsYouPayload, type GitState, type HostResources, type PaneAlert, type PaneResources, type ResourcesPayload, type SessionInfo, type SessionsPayload } from "../protocol.ts";

/** What the fleet state knows of one pane; a new object only when one of its parts changed. */
export interface PaneFacts {
  status: AgentStatus | undefined;
  git: GitState | null | undefined;
  resources: PaneResources | undefined;
}

/** The figures a header shows: agents per state (muted panes left out), how many are muted, and the host. */
export interface FleetSummary {
  counts: Readonly<Record<AgentState, number>>;
  muted: number;
  host: HostResources | null;
}

/** What a listener can follow: one pane's facts, the summary, the alert list, the event list. */
export type Topic = `pane:${string}` | FixedTopic;
/** Topics besides the panes: "highlight" changes when the patterns do (every card's highlighting). */
export type FixedTopic = "summary" | "alerts" | "events" | "highlight" | "sessions" | "needs-you" | "muted";

export const NO_FACTS: PaneFacts = { status: undefined, git: undefined, resources: undefined };
export const EMPTY_SUMMARY: FleetSummary = { counts: zeroCounts(), muted: 0, host: null };
const SEVERITY_CACHE = 5000;

/**
 * What a client knows about the agents besides their screens: status, git, resources, recent alerts
 * and events. Listeners follow a topic (one pane, the summary, alerts, events), so a card re-renders
 * only when its own pane changed and a header only when a count did. Bounded lists and caches.
 * Socket-free, like FleetMirror.
 */
export class FleetState {
  status: Record<string, AgentStatus> = {};
  git: Record<string, GitState | null> = {};
  resources: ResourcesPayload | null = null;
  alerts: PaneAlert[] = [];
  /** The server's needs-you queue: open items oldest first, recent resolved ones. */
  needsYou: NeedsYouPayload = { open: [], resolved: [] };
  events: FleetEvent[] = [];
  /** The sessions, windows and panes of the last sessions push (no screens): for pages without the grid. */
  sessionList: SessionInfo[] = [];
  highlight: { error: RegExp[]; warning: RegExp[] } = { error: [], warning: [] };
  /** Severity by raw line (colours included): screens repeat the same lines frame after frame. Bounded. */
  private readonly severities = new Map<string, "error" | "warning" | null>();
  private readonly listeners = new Set<() => void>();
  private readonly topics = new Map<Topic, Set<() => void>>();
  private readonly versions = new Map<Topic, number>();
  private readonly facts = new Map<string, PaneFacts>();
  private _summary: FleetSummary = { counts: zeroCounts(), muted: 0, host: null };
  /** Panes this client muted (their status tells): left out of the counts. A new set when it changes. */
  muted: ReadonlySet<string> = new Set();
  private muteOf: ((s: AgentStatus) => boolean) | null = null;
  private readonly maxAlerts: number;
  private readonly maxEvents: number;
  /** Grows with every change of anything (for listeners of everything). */
  version = 0;

  constructor(opts: { maxAlerts?: number; maxEvents?: number } = {}) {
    this.maxAlerts = opts.maxAlerts ?? 100;
    this.maxEvents = opts.maxEvents ?? 500;
  }

  /** Listens to every change. */
  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  /** Listens to one topic only. */
  on(topic: Topic, cb: () => void): () => void {
    let set = this.topics.get(topic);
    if (!set) {
      set = new Set();
      this.topics.set(topic, set);
    }
    set.add(cb);
    return () => {
      set.delete(cb);
      if (set.size === 0) this.topics.delete(topic);
    };
  }

  /** Changes once per change of a fixed topic. */
  versionOf(topic: FixedTopic): number {
    return this.versions.get(topic) ?? 0;
  }

  /** One pane's status, git and resources; the same object until one of them changes. */
  pane(id: string): PaneFacts {
    return this.facts.get(id) ?? NO_FACTS;
  }

  get summary(): FleetSummary {
    return this._summary;
  }

  /** Which panes to mute, by their status: counts and the "muted" topic follow at once. */
  setMute(muted: ((s: AgentStatus) => boolean) | null): void {
    this.muteOf = muted;
    const changed = new Set<Topic>();
    this.refreshSummary(changed);
    if (changed.size > 0) this.bump(changed);
  }

  setHighlight(h: { error: string[]; warning: string[] }): void {
    const compile = (list: string[]) =>
      list.flatMap((src) => {
        try {
          return [new RegExp(src, "i")];
        } catch {
          return [];
        }
      });
    this.highlight = { error: compile(h.error), warning: compile(h.warning) };
    this.severities.clear();
    this.bump(new Set(["highlight"]));
  }

  sessions(p: SessionsPayload): void {
    const changed = new Set<Topic>();
    if (!same(this.sessionList, p.sessions)) {
      this.sessionList = p.sessions;
      changed.add("sessions");
    }
    for (const id of new Set([...Object.keys(this.status), ...Object.keys(p.status)])) {
      if (!same(this.status[id], p.status[id])) changed.add(`pane:${id}`);
    }
    // No work tree (null) and not read yet (absent) show the same on a card: no git line. A pane
    // becoming "no work tree" after the watcher's first pass is no news to re-render for.
    for (const id of new Set([...Object.keys(this.git), ...Object.keys(p.git)])) {
      if (!same(this.git[id] ?? null, p.git[id] ?? null)) changed.add(`pane:${id}`);
    }
    if (changed.size === 0) return;
    this.status = p.status;
    this.git = p.git;
    this.refreshFacts(changed);
    this.refreshSummary(changed);
    this.bump(changed);
  }

  agentStatus(s: AgentStatus): void {
    if (same(this.status[s.pane], s)) return;
    this.status = { ...this.status, [s.pane]: s };
    const changed = new Set<Topic>([`pane:${s.pane}`]);
    this.refreshFacts(changed);
    this.refreshSummary(changed);
    this.bump(changed);
  }

  alert(a: PaneAlert): void {
    this.alerts = [a, ...this.alerts].slice(0, this.maxAlerts);
    this.bump(new Set(["alerts"]));
  }

  dismiss(id: string | "all"): void {
    this.alerts = id === "all" ? [] : this.alerts.filter((a) => a.id !== id);
    this.bump(new Set(["alerts"]));
  }

  needsYouUpdated(q: NeedsYouPayload): void {
    this.needsYou = q;
    this.bump(new Set(["needs-you"]));
  }

  resourcesUpdated(r: ResourcesPayload): void {
    const changed = new Set<Topic>();
    const before = this.resources?.panes ?? {};
    for (const id of new Set([...Object.keys(before), ...Object.keys(r.panes)])) {
      if (!same(before[id], r.panes[id])) changed.add(`pane:${id}`);
    }
    if (!same(this.resources?.host, r.host)) changed.add("summary");
    this.resources = r;
    this.refreshFacts(changed);
    if (changed.has("summary")) this._summary = { ...this._summary, host: r.host };
    this.bump(changed);
  }

  /**
   * Events in id order, without duplicates (a replay may overlap what arrived live). Returns the ones
   * that were new.
   */
  addEvents(list: FleetEvent[]): FleetEvent[] {
    const seen = new Set(this.events.map((e) => e.id));
    const fresh = list.filter((e) => !seen.has(e.id));
    if (fresh.length === 0) return fresh;
    const merged = [...this.events, ...fresh];
    merged.sort((a, b) => order(a.id) - order(b.id));
    this.events = merged.slice(-this.maxEvents);
    this.bump(new Set(["events"]));
    return fresh;
  }

  lastEventId(): string | undefined {
    return this.events.at(-1)?.id;
  }

  /** The severity of a screen line (raw, with colours) for highlighting: error, warning, or none. */
  severity(raw: string): "error" | "warning" | null {
    const known = this.severities.get(raw);
    if (known !== undefined) return known;
    const plain = stripAnsi(raw);
    const sev = this.highlight.error.some((re) => re.test(plain)) ? "error" : this.highlight.warning.some((re) => re.test(plain)) ? "warning" : null;
    if (this.severities.size >= SEVERITY_CACHE) this.severities.delete(this.severities.keys().next().value!);
    this.severities.set(raw, sev);
    return sev;
  }

  private refreshFacts(changed: ReadonlySet<Topic>): void {
    for (const t of changed) {
      if (!t.startsWith("pane:")) continue;
      const id = t.slice(5);
      const facts: PaneFacts = { status: this.status[id], git: this.git[id], resources: this.resources?.panes[id] };
      if (facts.status === undefined && facts.git === undefined && facts.resources === undefined) this.facts.delete(id);
      else this.facts.set(id, facts);
    }
  }

  /**
   * Recounts agents per state, muted panes apart; the summary topic changes only when a count did,
   * the muted topic only when the set of muted panes did.
   */
  private refreshSummary(changed: Set<Topic>): void {
    const counts = zeroCounts();
    const muted = new Set<string>();
    for (const s of Object.values(this.status)) {
      if (this.muteOf?.(s)) muted.add(s.pane);
      else counts[s.state]++;
    }
    if (muted.size !== this.muted.size || [...muted].some((id) => !this.muted.has(id))) {
      this.muted = muted;
      changed.add("muted");
    }
    if (muted.size === this._summary.muted && AGENT_STATES.every((s) => counts[s] === this._summary.counts[s])) return;
    this._summary = { counts, muted: muted.size, host: this._summary.host };
    changed.add("summary");
  }

  private bump(changed: ReadonlySet<Topic>): void {
    this.version++;
    for (const t of changed) {
      // A pane's snapshot is its facts object; versions are kept for the few fixed topics only.
      if (!t.startsWith("pane:")) this.versions.set(t, (this.versions.get(t) ?? 0) + 1);
      const set = this.topics.get(t);
      if (set) for (const cb of set) cb();
    }
    for (const cb of this.listeners) cb();
  }
}

function zeroCounts(): Record<AgentState, number> {
  return Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as Record<AgentState, number>;
}

/** Payload equality: the server sends fresh objects, most of them equal to what we hold. */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function order(id: string): number {
  return Number(id.split(":")[1] ?? 0);
}
