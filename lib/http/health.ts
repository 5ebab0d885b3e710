import type { Config } from "../config.ts";
import type { PaneTracker } from "../panes/tracker.ts";
import type { TmuxRuntime } from "../tmux/runtime.ts";
import { execStats } from "../tmux/exec.ts";

export interface HealthDeps {
  config: Config;
  tracker: PaneTracker;
  runtime: TmuxRuntime;
  version: string;
  startedAt: number;
  clientCount: () => number;
  /** Cluster mode: whether this node reaches Redis (null: not a cluster). */
  cluster?: { readonly connected: boolean } | null;
}

/**
 * /api/healthz and /api/readyz from what panecast already knows: the tracker's tmux state (the
 * change feed, or the poller, sees the server come and go). A request never runs tmux, so probing
 * them costs nothing however often it comes. The tmux version is read once each time tmux comes up.
 * The detailed body is built at most once a second. A web-only cluster node (`tmux.enabled: false`)
 * watches no tmux server: it is ready while it reaches Redis, and its report says tmux is off.
 */
export class Health {
  private readonly deps: HealthDeps;
  private tmuxVersion: string | null = null;
  private memo: { at: number; body: Record<string, unknown> } | null = null;

  constructor(deps: HealthDeps) {
    this.deps = deps;
    deps.tracker.on("state", (s) => {
      this.tmuxVersion = null;
      this.memo = null;
      if (s === "up") void this.readVersion();
    });
    if (deps.tracker.state === "up") void this.readVersion();
  }

  get ready(): boolean {
    return this.readiness === "ready";
  }

  /** What /api/readyz answers: ready, or what is missing. */
  get readiness(): "ready" | "tmux-unreachable" | "redis-unreachable" {
    if (!this.deps.config.tmux.enabled) return this.deps.cluster && !this.deps.cluster.connected ? "redis-unreachable" : "ready";
    return this.deps.tracker.state === "up" ? "ready" : "tmux-unreachable";
  }

  private get tmuxUp(): boolean {
    return this.deps.config.tmux.enabled && this.deps.tracker.state === "up";
  }

  /** Whether the version read of the current up-period is done (tests wait for it). */
  get versionKnown(): boolean {
    return this.tmuxVersion !== null;
  }

  /** The full report, for callers with a token: versions, uptime, tmux and client counts. */
  details(): Record<string, unknown> {
    const now = Date.now();
    if (this.memo && now - this.memo.at < 1000) return this.memo.body;
    const d = this.deps;
    const body = {
      status: "ok",
      version: d.version,
      uptimeSec: Math.round((now - d.startedAt) / 1000),
      watchMode: d.config.watch.mode,
      tmux: { enabled: d.config.tmux.enabled, reachable: this.tmuxUp, version: this.tmuxVersion, commands: d.runtime.stats.commands, processesSpawned: execStats.spawned },
      clients: d.clientCount(),
      ...(d.cluster ? { redis: { connected: d.cluster.connected } } : {}),
    };
    this.memo = { at: now, body };
    return body;
  }

  private async readVersion(): Promise<void> {
    try {
      const v = (await this.deps.runtime.read(["display-message", "-p", "#{version}"])).trim();
      if (this.tmuxUp) {
        this.tmuxVersion = v;
        this.memo = null;
      }
    } catch {
      // tmux went away again: the next "up" reads it.
    }
  }
}
