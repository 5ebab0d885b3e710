import { EventEmitter } from "node:events";
import type { EventLog } from "../events/event-log.ts";
import { FleetEventSchema } from "../protocol/payloads.ts";
import type { FleetEvent } from "../protocol.ts";
import { keys } from "./keys.ts";
import { followStream } from "./stream-follower.ts";
import type { Redis } from "./redis.ts";

/** Cluster event ids: `c:<n>` with n = stream id ms × 1000 + sequence, so ids order like the stream. */
const PREFIX = "c";
const Entry = FleetEventSchema.omit({ id: true });

function idOf(streamId: string): string {
  const [ms, seq] = streamId.split("-").map(Number) as [number, number];
  return `${PREFIX}:${ms * 1000 + Math.min(seq, 999)}`;
}

/** `c:<n>` → the stream id it came from; null for another server's or run's id. */
function streamIdOf(id: string): string | null {
  const m = /^c:(\d{1,16})$/.exec(id);
  if (!m) return null;
  const n = Number(m[1]);
  return `${Math.floor(n / 1000)}-${n % 1000}`;
}

/**
 * The fleet's event log for a cluster: every node appends its own events to one Redis stream
 * (trimmed to `events_maxlen`, `MAXLEN ~`) and reads everyone's back from it, so every node hands
 * its clients the same events with the same ids, and `since` replays by id across nodes and
 * restarts (from memory for recent ids, from the stream for older ones). While Redis is down a
 * node's own events still reach its own clients (with their local ids).
 */
export class ClusterEventLog extends EventEmitter<{ event: [FleetEvent]; loaded: [] }> {
  private ring: FleetEvent[] = [];
  private lastId: string | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  /**
   * This node's events from before Redis first answered (the agent states found as the tracker
   * starts): kept (bounded) and written to the stream once it does, so the other nodes learn them.
   * null once written, or once the start gave up waiting (then they went to this node's clients).
   */
  private pending: FleetEvent[] | null = [];

  constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly self: string,
    private readonly opts: { maxlen: number; ringSize: number },
  ) {
    super();
  }

  /** Appends what this node's awareness records. */
  follow(local: EventLog): void {
    local.on("event", (e) => {
      if (!this.redis.isReady) {
        if (!this.pending) return void this.emit("event", e);
        this.pending.push(e);
        if (this.pending.length > this.opts.ringSize) this.pending.shift();
        return;
      }
      this.append(e).catch(() => this.emit("event", e));
    });
  }

  /** The start stopped waiting for Redis: events from before go to this node's clients only. */
  endStartup(): void {
    const held = this.pending;
    this.pending = null;
    for (const e of held ?? []) this.emit("event", e);
  }

  private append(e: FleetEvent): Promise<string> {
    const { id: _id, ...rest } = e;
    return this.redis.xAdd(keys.events, "*", { n: this.self, e: JSON.stringify(rest) }, { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: this.opts.maxlen } });
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** The recent events held in memory, oldest first. */
  recent(): readonly FleetEvent[] {
    return this.ring;
  }

  /** Events after `since` (the recent ones, when absent); `truncated` when some after it are gone. */
  async since(since: string | undefined): Promise<{ events: FleetEvent[]; truncated: boolean }> {
    if (since === undefined) return { events: this.ring.slice(), truncated: false };
    const from = streamIdOf(since);
    if (!from) return { events: this.ring.slice(), truncated: true };
    const n = Number(since.slice(2));
    const first = this.ring[0];
    if (first && Number(first.id.slice(2)) <= n) return { events: this.ring.filter((e) => Number(e.id.slice(2)) > n), truncated: false };
    // The entry `since` names is still in the stream: nothing after it was trimmed.
    const [after, itself] = await Promise.all([
      this.redis.xRevRange(keys.events, "+", `(${from}`, { COUNT: this.opts.ringSize }),
      this.redis.xRange(keys.events, from, from),
    ]);
    const events = after.reverse().flatMap((m) => this.toEvent(m.id, m.message) ?? []);
    return { events, truncated: itself.length === 0 || after.length >= this.opts.ringSize };
  }

  private run(): Promise<void> {
    return followStream(this.reader, this.redis, {
      key: keys.events,
      stopped: () => this.stopped,
      position: () => this.lastId ?? "$",
      prepare: async () => {
        if (this.lastId === null) {
          // The recent events, so a reconnecting client is served from memory.
          const recent = await this.redis.xRevRange(keys.events, "+", "-", { COUNT: this.opts.ringSize });
          this.lastId = recent[0]?.id ?? "0-0";
          this.ring = recent.reverse().flatMap((m) => this.toEvent(m.id, m.message) ?? []);
          this.emit("loaded");
        }
        if (this.pending) {
          const held = this.pending;
          this.pending = null;
          for (const e of held) await this.append(e);
        }
      },
      onEntry: (id, message) => {
        this.lastId = id;
        const e = this.toEvent(id, message);
        if (!e) return;
        this.ring.push(e);
        if (this.ring.length > this.opts.ringSize) this.ring.shift();
        this.emit("event", e);
      },
      onError: () => {},
    });
  }

  private toEvent(id: string, message: Record<string, string>): FleetEvent | null {
    try {
      const r = Entry.safeParse(JSON.parse(message.e ?? ""));
      return r.success ? ({ ...r.data, id: idOf(id) } as FleetEvent) : null;
    } catch {
      return null;
    }
  }
}
