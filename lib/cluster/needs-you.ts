import { EventEmitter } from "node:events";
import { log } from "../log.ts";
import type { NeedsYouItem, NeedsYouPayload } from "../protocol.ts";
import { QueueSchema } from "../needs-you/store.ts";
import { keys } from "./keys.ts";
import type { ClusterBus, InStep } from "./bus.ts";
import type { Redis } from "./redis.ts";
import { clusterPane, isNodeName } from "./wire-check.ts";

/** What this reads of the node's own queue. */
export interface OwnQueue {
  payload(visible: ((session: string) => boolean) | null): NeedsYouPayload;
  on(event: "changed", cb: () => void): unknown;
}

/**
 * The needs-you queue of the whole cluster. Each node keeps the items of its own panes (it reads
 * their screens, so it alone knows when one resolves) and writes its queue to one Redis hash
 * (`panecast:needs-you`, one field per node, bounded by its queue's bounds), announcing the write on
 * a channel; every node reads the others' on the notice, on start and when Redis comes back, and
 * merges them with its own. So an item is on every node's page; it resolves when its owner says so;
 * a node that restarts reads everyone's back from Redis (and its own from its state directory).
 *
 * An offline node's items are kept and marked `offline`, not resolved: its agents most likely still
 * wait (the panecast process or the network went, not tmux), and a resolved item would tell people
 * nobody needs them. They go when the node is dropped after `offline_ttl`.
 */
export class ClusterNeedsYou extends EventEmitter<{ changed: [] }> implements InStep {
  private readonly others = new Map<string, NeedsYouPayload>();
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;

  constructor(
    private readonly redis: Redis,
    bus: ClusterBus,
    private readonly self: string,
    private readonly own: OwnQueue,
    private readonly opts: { maxResolved: number; maxOpen: number; minIntervalMs?: number },
  ) {
    super();
    own.on("changed", () => this.queueWrite());
    bus.subscribe(keys.needsYouChanged, (node) => {
      if (node !== this.self && isNodeName(node)) void this.load(node);
    });
    bus.keepInStep(this);
  }

  /** Writes this node's queue again and reads every other node's (start, Redis back). */
  async resync(): Promise<void> {
    await this.write();
    const all = await this.redis.hGetAll(keys.needsYou);
    const seen = new Set<string>();
    for (const [node, raw] of Object.entries(all)) {
      if (node === this.self || !isNodeName(node)) continue;
      seen.add(node);
      this.take(node, raw);
    }
    for (const node of [...this.others.keys()]) if (!seen.has(node)) this.drop(node);
    this.emit("changed");
  }

  /** The whole cluster's queue: open items oldest first (an offline node's marked), resolved newest first. */
  payload(visible: ((session: string) => boolean) | null, offline: ReadonlySet<string>): NeedsYouPayload {
    const mine = this.own.payload(visible);
    const sees = (i: NeedsYouItem) => !visible || visible(i.session);
    const open = [...mine.open];
    const resolved = [...mine.resolved];
    for (const [node, q] of this.others) {
      const down = offline.has(node);
      for (const i of q.open) if (sees(i)) open.push(down ? { ...i, offline: true } : i);
      for (const i of q.resolved) if (sees(i)) resolved.push(i);
    }
    open.sort((a, b) => a.since.localeCompare(b.since));
    resolved.sort((a, b) => (b.resolvedAt ?? "").localeCompare(a.resolvedAt ?? ""));
    return { open, resolved: resolved.slice(0, this.opts.maxResolved) };
  }

  /** Another node's open item for a pane (cluster id). */
  item(pane: string): NeedsYouItem | undefined {
    const at = clusterPane(pane);
    return at ? this.others.get(at.node)?.open.find((i) => i.pane === pane) : undefined;
  }

  /** Forgets a node (dropped after `offline_ttl`). */
  drop(node: string): void {
    if (this.others.delete(node)) this.emit("changed");
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async load(node: string): Promise<void> {
    let raw: string | null | undefined;
    try {
      raw = await this.redis.hGet(keys.needsYou, node);
    } catch (err) {
      return void log.debug({ err: err instanceof Error ? err.message : String(err), node }, "cluster: could not read a node's needs-you queue");
    }
    if (raw == null) return this.drop(node);
    if (this.take(node, raw)) this.emit("changed");
  }

  /** Another node's queue, checked: only items of its own panes, within the bounds. */
  private take(node: string, raw: string): boolean {
    let q: NeedsYouPayload | null = null;
    try {
      const r = QueueSchema.safeParse(JSON.parse(raw));
      q = r.success ? r.data : null;
    } catch {
      q = null;
    }
    if (!q) return false;
    const ownsIt = (i: NeedsYouItem) => clusterPane(i.pane)?.node === node && (i.node === undefined || i.node === node);
    const next: NeedsYouPayload = {
      open: q.open.filter(ownsIt).slice(0, this.opts.maxOpen).map(({ offline: _o, ...i }) => i),
      resolved: q.resolved.filter(ownsIt).slice(0, this.opts.maxResolved),
    };
    if (JSON.stringify(this.others.get(node)) === JSON.stringify(next)) return false;
    this.others.set(node, next);
    return true;
  }

  private queueWrite(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.write();
    }, this.opts.minIntervalMs ?? 50);
  }

  private async write(): Promise<void> {
    this.dirty = false;
    const q = this.own.payload(null);
    try {
      await this.redis.multi().hSet(keys.needsYou, this.self, JSON.stringify(q)).publish(keys.needsYouChanged, this.self).exec();
    } catch {
      // Redis away: the resync when it is back writes the queue again.
      this.dirty = true;
    }
  }

  /** Whether a change made here has not reached Redis yet. */
  get outOfStep(): boolean {
    return this.dirty && this.timer === null;
  }
}
