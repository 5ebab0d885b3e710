import { EventEmitter } from "node:events";
import { CoalescedRun } from "../coalesced-run.ts";
import type { TmuxState } from "../protocol.ts";
import { ControlClient, type ControlClientEvents, type ControlClientOptions } from "./control-client.ts";
import type { ControlEvent } from "./control-parser.ts";
import { TmuxServerNotRunning } from "./errors.ts";
import { OutputHolds, type HoldingClient } from "./output-holds.ts";
import type { TmuxSocket } from "./exec.ts";
import { globToRegExp } from "../topology.ts";

export interface ChangeFeedOptions {
  /** Session name globs to watch; empty: all. */
  sessions?: readonly string[];
  pauseAfterSec?: number;
  /** Reconnect backoff while the tmux server is down. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Most control clients at once (one per watched session). */
  maxClients?: number;
  /**
   * After sessions come or go, attach only once they have been quiet this long (at most 8× it).
   * tmux 3.3a can segfault when a control client attaches while another session is being created
   * (seen here in stress tests: `segfault at 20` in dmesg, "server exited unexpectedly"); attaching
   * after the burst keeps panecast's attaches away from the user's creations.
   */
  settleMs?: number;
}

/** What the feed needs of the runtime (TmuxRuntime is one): the socket to attach to, and reads. */
export interface FeedRuntime {
  readonly socket: TmuxSocket;
  read(args: readonly string[]): Promise<string>;
}

/** One control-mode client on one session, as the feed uses it (ControlClient is one). */
export interface FeedClient extends Pick<EventEmitter<ControlClientEvents>, "on">, HoldingClient {
  close(): Promise<void>;
}

export type OpenFeedClient = (sessionId: string, opts: ControlClientOptions) => FeedClient;

export interface ChangeFeedEvents {
  /**
   * A pane printed something (or tmux paused it): its screen must be read again. `plain`: the output
   * only printed text and moved down (ControlEvent's `plain`), so only the rows it went through changed.
   */
  output: [string, boolean];
  /** Sessions, windows or panes may have come, gone, moved or been renamed. */
  structure: [];
  state: [TmuxState];
  /** A control client now watches this session: anything its panes printed before went unreported. */
  attached: [string];
  /** tmux sends a held pane's output again: what it printed just before is read once more. */
  continued: [string];
}

/**
 * The push change feed: one control-mode client per watched session, attached and dropped as sessions
 * come and go. No work at all while nothing happens. When the tmux server goes away it retries with
 * exponential backoff and reports `state`; when it is back it reattaches and reports `structure`.
 * It can hold a pane's output back (`hold`), so a pane read at the busy pace costs no line per line.
 */
export class ChangeFeed extends EventEmitter<ChangeFeedEvents> {
  private readonly runtime: FeedRuntime;
  private readonly openClient: OpenFeedClient;
  private readonly matchers: RegExp[];
  private readonly opts: Required<Omit<ChangeFeedOptions, "sessions">>;
  private readonly clients = new Map<string, FeedClient>();
  /** The clients each pane's output came through: those `hold` asks. */
  private readonly holds = new OutputHolds<FeedClient>();
  private syncTimer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private settleSince = 0;
  private readonly syncs: CoalescedRun;
  private retryMs: number;
  private stopped = false;
  private _state: TmuxState | null = null;

  constructor(
    runtime: FeedRuntime,
    opts: ChangeFeedOptions = {},
    openClient: OpenFeedClient = (sessionId, o) => new ControlClient(runtime.socket, sessionId, o),
  ) {
    super();
    this.runtime = runtime;
    this.openClient = openClient;
    this.matchers = (opts.sessions ?? []).map(globToRegExp);
    this.opts = {
      pauseAfterSec: opts.pauseAfterSec ?? 5,
      retryMinMs: opts.retryMinMs ?? 250,
      retryMaxMs: opts.retryMaxMs ?? 5000,
      maxClients: opts.maxClients ?? 256,
      settleMs: opts.settleMs ?? 250,
    };
    this.retryMs = this.opts.retryMinMs;
    this.syncs = new CoalescedRun(
      () => this.doSync(),
      () => {
        if (!this.stopped) this.schedule(0);
      },
    );
  }

  get state(): TmuxState | null {
    return this._state;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * Asks tmux to hold back this pane's output from every client it came through, and from any that
   * reports it later (call again on its output: a no-op where held). Nothing tells the pane is dirty
   * meanwhile: its reader reads it on its own pace until `release`.
   */
  hold(pane: string): void {
    this.holds.hold(pane);
  }

  /** Lets the pane's output flow again; each client that held it says `continued`. */
  release(pane: string): void {
    this.holds.release(pane);
  }

  /** A pane that went away: its output flows no more, and its clients are not remembered. */
  forget(pane: string): void {
    this.holds.forget(pane);
  }

  /** Resolves after the first attempt to attach, whether or not tmux was there. */
  start(): Promise<void> {
    return this.sync();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.syncTimer = null;
    this.settleTimer = null;
    await this.syncs.settled();
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }

  /** Re-syncs once sessions have stopped changing for `settleMs` (or after 8× that at most). */
  private settle(): void {
    if (this.stopped) return;
    const now = performance.now();
    if (!this.settleTimer) this.settleSince = now;
    else clearTimeout(this.settleTimer);
    const wait = Math.min(this.opts.settleMs, Math.max(0, this.settleSince + 8 * this.opts.settleMs - now));
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      void this.sync();
    }, wait);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      void this.sync();
    }, delayMs);
  }

  private sync(): Promise<void> {
    return this.syncs.run();
  }

  private async doSync(): Promise<void> {
    if (this.stopped) return;
    let sessions: Array<{ id: string; name: string }>;
    try {
      const out = await this.runtime.read(["list-sessions", "-F", "#{session_id}\u001f#{session_name}"]);
      sessions = out
        .split("\n")
        .filter(Boolean)
        .map((l) => {
          const [id = "", name = ""] = l.split("\u001f");
          return { id, name };
        });
    } catch (err) {
      if (!(err instanceof TmuxServerNotRunning) && !isNoSessions(err)) {
        // A timeout or a busy queue: try again later, state unchanged.
        this.schedule(this.retryMs);
        return;
      }
      this.setState("down");
      await this.dropAll();
      this.schedule(this.retryMs);
      this.retryMs = Math.min(this.opts.retryMaxMs, this.retryMs * 2);
      return;
    }
    if (this.stopped) return;
    this.retryMs = this.opts.retryMinMs;
    const watched = sessions.filter((s) => this.matchers.length === 0 || this.matchers.some((m) => m.test(s.name)));
    // With no watched session alive, one sentinel client still tells us when sessions come and go.
    const wanted = (watched.length > 0 ? watched : sessions.slice(0, 1)).slice(0, this.opts.maxClients);
    const wantedIds = new Set(wanted.map((s) => s.id));
    for (const [id, client] of this.clients) {
      if (!wantedIds.has(id)) {
        this.clients.delete(id);
        void client.close();
      }
    }
    for (const s of wanted) if (!this.clients.has(s.id)) this.attach(s.id);
    this.setState(sessions.length > 0 ? "up" : "down");
    this.emit("structure");
    if (sessions.length === 0) this.schedule(this.retryMs);
  }

  private attach(sessionId: string): void {
    const client = this.openClient(sessionId, { pauseAfterSec: this.opts.pauseAfterSec });
    this.clients.set(sessionId, client);
    this.emit("attached", sessionId);
    client.on("event", (ev) => this.onEvent(ev, client));
    client.on("closed", ({ expected }) => {
      if (this.clients.get(sessionId) === client) this.clients.delete(sessionId);
      this.holds.drop(client);
      // The session or the whole server went away: find out which, and follow.
      if (!expected && !this.stopped) this.schedule(20);
    });
  }

  private onEvent(ev: ControlEvent, client: FeedClient): void {
    switch (ev.type) {
      case "output":
        this.holds.reported(ev.pane, client);
        this.emit("output", ev.pane, ev.plain);
        return;
      case "pause":
        // tmux dropped what the pane printed (or holds it back, as asked): read all of it.
        this.holds.reported(ev.pane, client);
        this.emit("output", ev.pane, false);
        return;
      case "continue":
        this.emit("continued", ev.pane);
        return;
      case "sessions-changed":
      case "session-renamed":
        this.emit("structure");
        this.settle();
        return;
      case "window-add":
      case "window-close":
      case "window-renamed":
      case "layout-change":
      case "session-changed":
        this.emit("structure");
        return;
      default:
        return;
    }
  }

  private async dropAll(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  private setState(s: TmuxState): void {
    if (this._state === s) return;
    this._state = s;
    this.emit("state", s);
  }
}

function isNoSessions(err: unknown): boolean {
  return err instanceof Error && "detail" in err && typeof err.detail === "string" && /no sessions/i.test(err.detail);
}
