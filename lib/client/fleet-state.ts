import type { AgentStatus, FleetEvent, GitState, PaneAlert, ResourcesPayload, SessionsPayload } from "../protocol.ts";

/**
 * What a client knows about the agents besides their screens: status, git, resources, recent alerts
 * and events. Bounded lists; listeners are told of every change. Socket-free, like FleetMirror.
 */
export class FleetState {
  status: Record<string, AgentStatus> = {};
  git: Record<string, GitState | null> = {};
  resources: ResourcesPayload | null = null;
  alerts: PaneAlert[] = [];
  events: FleetEvent[] = [];
  highlight: { error: RegExp[]; warning: RegExp[] } = { error: [], warning: [] };
  /** Severity by line text: screens repeat the same lines frame after frame. Bounded. */
  private readonly severities = new Map<string, "error" | "warning" | null>();
  private readonly listeners = new Set<() => void>();
  private readonly maxAlerts: number;
  private readonly maxEvents: number;
  version = 0;

  constructor(opts: { maxAlerts?: number; maxEvents?: number } = {}) {
    this.maxAlerts = opts.maxAlerts ?? 100;
    this.maxEvents = opts.maxEvents ?? 500;
  }

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

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
    this.bump();
  }

  sessions(p: SessionsPayload): void {
    this.status = p.status;
    this.git = p.git;
    this.bump();
  }

  agentStatus(s: AgentStatus): void {
    this.status = { ...this.status, [s.pane]: s };
    this.bump();
  }

  alert(a: PaneAlert): void {
    this.alerts = [a, ...this.alerts].slice(0, this.maxAlerts);
    this.bump();
  }

  dismiss(id: string | "all"): void {
    this.alerts = id === "all" ? [] : this.alerts.filter((a) => a.id !== id);
    this.bump();
  }

  resourcesUpdated(r: ResourcesPayload): void {
    this.resources = r;
    this.bump();
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
    this.bump();
    return fresh;
  }

  lastEventId(): string | undefined {
    return this.events.at(-1)?.id;
  }

  /** The severity of a screen line for highlighting: error, warning, or none. */
  severity(plain: string): "error" | "warning" | null {
    const known = this.severities.get(plain);
    if (known !== undefined) return known;
    const sev = this.highlight.error.some((re) => re.test(plain)) ? "error" : this.highlight.warning.some((re) => re.test(plain)) ? "warning" : null;
    if (this.severities.size >= 5000) this.severities.clear();
    this.severities.set(plain, sev);
    return sev;
  }

  private bump(): void {
    this.version++;
    for (const cb of this.listeners) cb();
  }
}

function order(id: string): number {
  return Number(id.split(":")[1] ?? 0);
}
