import { EventEmitter } from "node:events";
import { z } from "zod";
import type { NodeInfo } from "../protocol.ts";
import { keys } from "./keys.ts";
import type { Redis } from "./redis.ts";
import { NODE_NAME } from "../protocol/ids.ts";

export interface LivenessOptions {
  /** The heartbeat key's TTL: a node silent this long is offline. It beats three times per TTL. */
  offlineAfterMs: number;
  /** An offline node is dropped (panes and keys) after this long. */
  offlineTtlMs: number;
  version: string;
  panes: () => number;
  /** Clients connected to this node: the others sample resources and git while anyone watches. */
  clients: () => number;
}

export interface LivenessEvents {
  /** Some node went online or offline (or Redis went away: every other node is unreachable). */
  changed: [];
  /** A node offline past `offlineTtlMs` was forgotten. */
  dropped: [node: string];
  /**
   * A node seen before went offline or came back, as read from Redis (never while Redis itself is
   * unreachable). `lastSeen` is its last heartbeat: the same on every node, so one outage has one name.
   */
  transition: [node: string, online: boolean, lastSeen: string];
  /** The number of clients on the other online nodes changed. */
  clients: [];
}

const Beat = z.object({ lastSeen: z.string().max(64), version: z.string().max(64), panes: z.number().int().nonnegative(), clients: z.number().int().nonnegative().default(0) });

/**
 * Node heartbeats: each node keeps a key with a TTL alive and writes its record to the node hash;
 * every node reads them all on the same beat. A node whose key expired, or that cannot be reached
 * because Redis itself is down, is offline.
 */
export class Liveness extends EventEmitter<LivenessEvents> {
  private readonly known = new Map<string, NodeInfo>();
  private readonly clientsOf = new Map<string, number>();
  /** This start's first heartbeat was announced to the others. */
  private announced = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Once stopping: no beat any more (one would bring the key back and hide the leave for a TTL). */
  private stopped = false;
  /** The last scan failed: the next good one must not take the nodes' return for a transition. */
  private unreachable = false;
  private lastClients = 0;

  constructor(
    private readonly redis: Redis,
    private readonly self: string,
    private readonly opts: LivenessOptions,
  ) {
    super();
  }

  start(): void {
    this.stopped = false;
    this.announced = false;
    const every = Math.max(100, Math.floor(this.opts.offlineAfterMs / 3));
    this.timer = setInterval(() => void this.tick(), every);
    void this.tick();
  }

  /** Beats and reads now (on start, when Redis is back, when a node says it leaves). */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.beatAndScan().finally(() => (this.running = null));
    return this.running;
  }

  /** A clean stop: the key goes at once, and the others are told so they need not wait for the TTL. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    if (!this.redis.isReady) return;
    await this.redis.del(keys.alive(this.self)).catch(() => {});
    await this.redis.publish(keys.leaving, this.self).catch(() => {});
  }

  /** Every node known, this one first. */
  list(): NodeInfo[] {
    const me: NodeInfo = { name: this.self, online: true, lastSeen: new Date().toISOString(), panes: this.opts.panes(), version: this.opts.version };
    return [me, ...[...this.known.values()].sort((a, b) => a.name.localeCompare(b.name))];
  }

  /** Clients connected to the other online nodes. */
  remoteClients(): number {
    let n = 0;
    for (const [name, info] of this.known) if (info.online) n += this.clientsOf.get(name) ?? 0;
    return n;
  }

  offline(): Set<string> {
    return new Set([...this.known.values()].filter((n) => !n.online).map((n) => n.name));
  }

  private async beatAndScan(): Promise<void> {
    try {
      if (!this.redis.isReady) throw new Error("redis not ready");
      const now = new Date().toISOString();
      const beat = { lastSeen: now, version: this.opts.version, panes: this.opts.panes(), clients: this.opts.clients() };
      await this.redis.multi().set(keys.alive(this.self), now, { PX: this.opts.offlineAfterMs }).hSet(keys.nodes, this.self, JSON.stringify(beat)).exec();
      // The others read this node online at once, not at their next scan: a node that joins and
      // stops within one scan would otherwise never have been online to them (no node.offline).
      if (!this.announced) this.announced = (await this.redis.publish(keys.joined, this.self).catch(() => -1)) >= 0;
      const all = await this.redis.hGetAll(keys.nodes);
      const names = Object.keys(all).filter((n) => n !== this.self && NODE_NAME.test(n));
      const alive = names.length > 0 ? await this.redis.mGet(names.map((n) => keys.alive(n))) : [];
      let changed = false;
      const seen = new Set<string>();
      const flips: Array<[string, boolean, string]> = [];
      names.forEach((name, i) => {
        const b = parseBeat(all[name]!);
        if (!b) return;
        const online = alive[i] !== null;
        if (!online && Date.now() - Date.parse(b.lastSeen) > this.opts.offlineTtlMs) {
          void this.forget(name);
          return;
        }
        seen.add(name);
        const old = this.known.get(name);
        if (!old || old.online !== online) changed = true;
        if (old && old.online !== online && !this.unreachable) flips.push([name, online, b.lastSeen]);
        this.known.set(name, { name, online, lastSeen: b.lastSeen, panes: b.panes, version: b.version });
        this.clientsOf.set(name, b.clients);
      });
      for (const name of [...this.known.keys()]) {
        if (seen.has(name)) continue;
        this.known.delete(name);
        this.clientsOf.delete(name);
        this.emit("dropped", name);
        changed = true;
      }
      this.unreachable = false;
      const clients = this.remoteClients();
      if (changed) this.emit("changed");
      if (clients !== this.lastClients) {
        this.lastClients = clients;
        this.emit("clients");
      }
      for (const [name, online, lastSeen] of flips) this.emit("transition", name, online, lastSeen);
    } catch {
      // Redis unreachable: every other node is too, as far as this one can tell (but no node is said
      // to have gone offline or come back: this one cannot know).
      this.unreachable = true;
      this.announced = false;
      let changed = false;
      for (const n of this.known.values()) {
        if (n.online) changed = true;
        n.online = false;
      }
      if (changed) this.emit("changed");
    }
  }

  private async forget(node: string): Promise<void> {
    await this.redis.multi().hDel(keys.nodes, node).hDel(keys.needsYou, node).del([keys.topology(node), keys.frames(node), keys.facts(node)]).exec().catch(() => {});
  }
}

function parseBeat(raw: string): z.infer<typeof Beat> | null {
  try {
    const r = Beat.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
