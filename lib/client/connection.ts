import { io } from "socket.io-client";
import type {
  Ack,
  Batch,
  DocPayload,
  HelloPayload,
  PaneAnswerRequest,
  PaneAnswerResult,
  PaneKeysRequest,
  PaneKeysResult,
  PaneSendRequest,
  PaneSendResult,
  RecordingFramesRequest,
  RecordingFramesResult,
  SearchRequest,
  SearchResult,
  EventsSubscribeResult,
  FleetEvent,
  PaneUpdate,
} from "../protocol.ts";
import { BatchAcks } from "./acks.ts";
import { DocWatchers } from "./doc-watchers.ts";
import type { ConnectionOptions, ConnectionStatus } from "./connection-types.ts";
import { onWake, retryDelay } from "./reconnect.ts";
import { ask, request, type ClientSocket } from "./requests.ts";
import { FarPanes } from "./far-panes.ts";
import { FleetState } from "./fleet-state.ts";
import { FleetMirror } from "./mirror.ts";
import { socketOptionsOf } from "./socket-options.ts";

export type { ConnectionOptions, ConnectionState, ConnectionStatus } from "./connection-types.ts";

/**
 * Keeps a FleetMirror in step with a panecast server: subscribes on connect (sending what it holds,
 * so it receives only what changed), applies updates, asks again for any pane whose seq or hash does
 * not follow, and reconnects with exponential backoff and jitter, showing a countdown.
 */
export class FleetConnection {
  readonly mirror: FleetMirror;
  readonly state = new FleetState();
  private readonly opts: ConnectionOptions;
  private socket: ClientSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = false;
  private _status: ConnectionStatus = { state: "connecting", nextAttemptAt: null, attempt: 0, tmux: null, principal: null, authEnabled: false, unauthorized: false, lastError: null };
  private readonly statusListeners = new Set<() => void>();
  private readonly eventListeners = new Set<(e: FleetEvent) => void>();
  private readonly resyncing = new Set<string>();
  /** Documents followed: subscribed again on every connect. */
  private readonly docs = new DocWatchers();
  private unwake: (() => void) | null = null;
  private acks: BatchAcks | null = null;
  /** The panes this page shows off screen: told to the server, which sends them less often. */
  readonly far = new FarPanes(() => this.sendView());
  /** How often this page shows changes at most (0: at once): the server paces its batches to it. */
  private frameMs = 0;
  /** The panes this page shows in its focused view: the server reads them at its frame pace while they stream. */
  private focus: string[] = [];

  constructor(mirror: FleetMirror, opts: ConnectionOptions = {}) {
    this.mirror = mirror;
    this.opts = opts;
  }

  get status(): ConnectionStatus {
    return this._status;
  }

  /** Every event of the stream, as it arrives (replays after a reconnect included, once each). */
  onEvent(cb: (e: FleetEvent) => void): () => void {
    this.eventListeners.add(cb);
    return () => this.eventListeners.delete(cb);
  }

  onStatus = (cb: () => void): (() => void) => {
    this.statusListeners.add(cb);
    return () => this.statusListeners.delete(cb);
  };

  start(): void {
    this.stopped = false;
    const s: ClientSocket = this.opts.url
      ? io(this.opts.url, socketOptionsOf(this.opts))
      : io(socketOptionsOf(this.opts));
    this.socket = s;
    this.acks?.reset();
    const acks = new BatchAcks((n) => {
      if (s.connected) s.emit("batch:ack", { n });
    });
    this.acks = acks;
    this.unwake?.();
    this.unwake = onWake(() => this.wake());
    s.on("connect", () => void this.onConnect(s));
    s.on("hello", (h: HelloPayload) => {
      // Another server run: its event ids mean nothing here (the mirror drops its screens likewise).
      if (this.mirror.epoch !== null && this.mirror.epoch !== h.epoch) this.state.events = [];
      this.mirror.hello(h);
      this.state.setHighlight(h.highlight);
      this.setStatus({ tmux: h.tmux, principal: h.principal, authEnabled: h.authEnabled, unauthorized: false });
    });
    s.on("batch", (b) => this.onBatch(s, b));
    s.on("disconnect", () => {
      acks.reset();
      this.scheduleRetry();
    });
    s.on("connect_error", (err: Error & { data?: { code?: string } }) => {
      this.setStatus({ lastError: err.message, ...(err.data?.code === "UNAUTHORIZED" ? { unauthorized: true } : {}) });
      this.scheduleRetry();
    });
  }

  stop(): void {
    this.stopped = true;
    this.unwake?.();
    this.unwake = null;
    this.acks?.reset();
    this.far.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.disconnect();
  }

  /**
   * This page shows changes at most every `ms` (0: at once, as a terminal being typed in): batches
   * closer together would cost the browser a message each and show nothing sooner.
   */
  setFrameMs(ms: number): void {
    if (ms === this.frameMs) return;
    this.frameMs = ms;
    this.sendView();
  }

  /** The pane this page shows in its focused view (null: none): watched closely, it is read as often as it changes. */
  setFocus(pane: string | null): void {
    const focus = pane ? [pane] : [];
    if (focus.join() === this.focus.join()) return;
    this.focus = focus;
    this.sendView();
  }

  private sendView(): void {
    if (this.socket?.connected) this.socket.emit("view:set", { far: this.far.list(), frameMs: this.frameMs, focus: this.focus });
  }

  /** Scrollback above a pane's screen, for the focused view. */
  async history(pane: string, lines?: number): Promise<string[]> {
    const s = this.socket;
    if (!s?.connected) return [];
    const res = await s.timeout(15_000).emitWithAck("pane:history", lines ? { pane, lines } : { pane });
    return "data" in res ? res.data.lines : [];
  }

  private addEvents(list: FleetEvent[]): void {
    for (const e of this.state.addEvents(list)) for (const cb of this.eventListeners) cb(e);
  }

  /** Types to a pane (operator role); the result says whether the text was seen landing. */
  send(req: PaneSendRequest): Promise<Ack<PaneSendResult>> {
    return ask(this.socket, "pane:send", req);
  }

  /** A one-tap answer to a needs-you item (operator role). */
  answer(req: PaneAnswerRequest): Promise<Ack<PaneAnswerResult>> {
    return ask(this.socket, "pane:answer", req);
  }

  /** Keyboard mode's keys, text and pastes to a pane (operator role), in order. */
  keys(req: PaneKeysRequest): Promise<Ack<PaneKeysResult>> {
    return ask(this.socket, "pane:keys", req);
  }

  /** A page of a pane's recorded history (viewer role; the flight recorder). */
  recordingFrames(req: RecordingFramesRequest): Promise<Ack<RecordingFramesResult>> {
    return ask(this.socket, "recording:frames", req);
  }

  /** Full-text search over what panes printed (viewer role, the token's sessions). */
  search(req: SearchRequest): Promise<Ack<SearchResult>> {
    return ask(this.socket, "search", req);
  }

  /**
   * Follows a document: `cb` gets it on every (re)connect and on every change after. Subscribing again
   * after a reconnect means nothing changed while away goes unseen.
   */
  watchDoc(name: string, cb: (p: DocPayload) => void): () => void {
    const remove = this.docs.add(name, cb);
    const s = this.socket;
    if (s?.connected) void this.subscribeDoc(s, name);
    return remove;
  }

  /** Skips the countdown. */
  retryNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.socket && !this.socket.connected) {
      this.setStatus({ state: "connecting", nextAttemptAt: null });
      this.socket.connect();
    }
  }

  /** The network is back or the tab visible again: the wait was for nothing, try now. */
  private wake(): void {
    if (this.stopped || !this.socket || this.socket.connected) return;
    this.attempt = 0;
    this.retryNow();
  }

  private async onConnect(s: ClientSocket): Promise<void> {
    if (this.opts.panes === false) {
      await Promise.all(this.docs.names().map((name) => this.subscribeDoc(s, name)));
      this.attempt = 0;
      this.setStatus({ state: "live", nextAttemptAt: null, attempt: 0 });
      await this.subscribeEvents(s);
      return;
    }
    const have = this.mirror.have();
    const req = { ...(this.opts.filter ? { filter: this.opts.filter } : {}), ...(have ? { have } : {}) };
    // Applied in the ack callback, in order with the batches that follow it (see `request` in requests.ts). A
    // disconnect while the answer is due (a revoked token's socket is closed at once) ends the wait
    // with an error, and the disconnect handler retries; no answer in time while connected retries too.
    const outcome = await new Promise<"subscribed" | "refused" | "lost">((resolve) => {
      s.timeout(30_000).emit("subscribe", req, (err, res) => {
        if (err) return resolve("lost");
        if ("error" in res) return resolve("refused");
        for (const pane of this.mirror.subscribed(res.data)) this.resync(s, pane);
        resolve("subscribed");
      });
    });
    if (outcome === "lost" && !s.connected) return;
    if (outcome !== "subscribed") {
      this.scheduleRetry();
      return;
    }
    this.attempt = 0;
    // A new connection sends every pane at the full rate until it is told which are off screen.
    if (this.far.list().length > 0 || this.frameMs > 0 || this.focus.length > 0) this.sendView();
    this.setStatus({ state: "live", nextAttemptAt: null, attempt: 0 });
    await Promise.all(this.docs.names().map((name) => this.subscribeDoc(s, name)));
    await this.subscribeEvents(s);
  }

  private subscribeDoc(s: ClientSocket, name: string): Promise<void> {
    // No answer in time: the next reconnect asks again.
    return request<Ack<DocPayload>>(
      (ack) => s.timeout(10_000).emit("doc:subscribe", { name }, ack),
      (r) => {
        if ("data" in r) this.docs.deliver(r.data);
      },
    );
  }

  /** The event stream, replaying whatever came after the last event this client holds. */
  private subscribeEvents(s: ClientSocket): Promise<void> {
    const since = this.state.lastEventId();
    return request<Ack<EventsSubscribeResult>>(
      (ack) => s.timeout(10_000).emit("events:subscribe", { ...(this.opts.events ?? {}), ...(since ? { since } : {}) }, ack),
      (r) => {
        if ("data" in r) this.addEvents(r.data.events);
      },
    );
  }

  /** One frame tick's worth of pushes, applied in the documented order. */
  private onBatch(s: ClientSocket, b: Batch): void {
    if (b.tmux) this.setStatus({ tmux: b.tmux });
    if (b.topology) this.mirror.setTopology(b.topology);
    for (const pane of b.removed ?? []) this.mirror.removed(pane);
    for (const u of b.updates ?? []) this.onUpdate(s, u);
    if (b.sessions) this.state.sessions(b.sessions);
    for (const st of b.status ?? []) this.state.agentStatus(st);
    for (const a of b.alerts ?? []) this.state.alert(a);
    if (b.resources) this.state.resourcesUpdated(b.resources);
    if (b.events) this.addEvents(b.events);
    if (b.eventsMissed) void this.subscribeEvents(s);
    for (const d of b.docs ?? []) this.docs.deliver(d);
    if (b.needsYou) this.state.needsYouUpdated(b.needsYou);
    // Applied: the server may send more (flow control, lib/hub).
    this.acks?.applied(b.n);
  }

  private onUpdate(s: ClientSocket, u: PaneUpdate): void {
    const r = this.mirror.apply(u);
    if (r === "gap" || r === "mismatch") this.resync(s, u.pane);
  }

  /** Asks for a pane's current frame; the updates after it follow it in order (see `request` in requests.ts). */
  private resync(s: ClientSocket, pane: string): void {
    if (this.resyncing.has(pane)) return;
    this.resyncing.add(pane);
    s.timeout(10_000).emit("pane:resync", { pane }, (err: Error | null, res: Ack<PaneUpdate>) => {
      // Here, not after a promise: a gap in the very next batch may ask again.
      this.resyncing.delete(pane);
      // No answer in time: the next update shows the gap again.
      if (!err && "data" in res) this.mirror.apply(res.data);
    });
  }

  private scheduleRetry(): void {
    if (this.stopped || this.timer || this.socket?.connected) return;
    const delay = retryDelay(this.opts.backoff, this.attempt);
    this.attempt++;
    const offline = this.attempt > (this.opts.offlineAfter ?? 8) || (typeof navigator !== "undefined" && navigator.onLine === false);
    this.setStatus({ state: offline ? "offline" : "reconnecting", nextAttemptAt: Date.now() + delay, attempt: this.attempt });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.socket?.connect();
    }, delay);
  }

  private setStatus(patch: Partial<ConnectionStatus>): void {
    this._status = { ...this._status, ...patch };
    for (const cb of this.statusListeners) cb();
  }
}
