import { EventEmitter } from "node:events";
import { z } from "zod";
import { log } from "../log.ts";
import { applyDelta } from "../panes/diff.ts";
import type { PaneDelta, PaneUpdate, Topology } from "../protocol.ts";
import { allPanes } from "../topology.ts";
import { keys } from "./keys.ts";
import { followStream } from "./stream-follower.ts";
import type { StoredFrame } from "./publisher.ts";
import type { Redis } from "./redis.ts";
import { PaneFrameSchema as FrameSchema, PaneUpdateSchema, TopologySchema } from "../protocol/payloads.ts";
import { isLocalPane, isNodeName, localTopologyValid } from "./wire-check.ts";

export interface RemoteNode {
  topology: Topology;
  frames: Map<string, StoredFrame>;
}

export interface RemoteEvents {
  /** A node's topology changed (or the node was loaded or dropped). */
  topology: [node: string];
  /** A pane's frame changed; `delta` leads from the frame of seq `base` (the one held before), null: take it whole. */
  frame: [node: string, pane: string, delta: PaneDelta | null, base: number];
}

// What other nodes write is checked like any input: a damaged entry is skipped, never trusted.
// An update names the pane by its node's own id; the stream entry says which node.
const UpdateSchema = PaneUpdateSchema.extend({ pane: z.string().refine(isLocalPane, "a local pane id") });

/**
 * Every other node's panes, read from Redis: a snapshot (topology and frame keys) on start, on
 * reconnect and when a node asks for it (`r`), and the update stream in between. One sequential loop
 * applies entries in stream order, so a pane's frames never go backwards; an update that does not
 * follow the frame held (a gap) is replaced by the stored frame.
 */
export class RemoteStore extends EventEmitter<RemoteEvents> {
  readonly nodes = new Map<string, RemoteNode>();
  private lastId = "$";
  private stopped = false;
  private loop: Promise<void> | null = null;
  private needReload = true;

  constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly self: string,
    private readonly knownNodes: () => Promise<string[]>,
  ) {
    super();
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Redis came back (or lost its data): read everything again before following the stream. */
  reloadAll(): void {
    this.needReload = true;
  }

  /** Forgets a node (dropped after `offline_ttl`). */
  drop(node: string): void {
    if (!this.nodes.delete(node)) return;
    this.emit("topology", node);
  }

  private run(): Promise<void> {
    return followStream(this.reader, this.redis, {
      key: keys.updates,
      stopped: () => this.stopped,
      position: () => this.lastId,
      prepare: async () => {
        if (!this.needReload) return;
        this.needReload = false;
        // Take the stream position first: entries after it are applied on top of the snapshot.
        const last = await this.redis.xRevRange(keys.updates, "+", "-", { COUNT: 1 });
        this.lastId = last[0]?.id ?? "0-0";
        for (const node of await this.knownNodes()) if (node !== this.self && isNodeName(node)) await this.load(node);
      },
      onEntry: async (id, message) => {
        this.lastId = id;
        await this.apply(message);
      },
      onError: (err) => {
        this.needReload = true;
        log.debug({ err: err instanceof Error ? err.message : String(err) }, "cluster: update stream interrupted");
      },
    });
  }

  /** Reads a node's topology and frames from their keys. */
  async load(node: string): Promise<void> {
    if (!isNodeName(node)) return;
    const [rawTopo, rawFrames] = await Promise.all([this.redis.get(keys.topology(node)), this.redis.hGetAll(keys.frames(node))]);
    const topo = rawTopo ? parseTopology(rawTopo) : null;
    if (!topo) return;
    const held = this.nodes.get(node);
    const frames = new Map<string, StoredFrame>();
    const changed: string[] = [];
    for (const [pane, raw] of Object.entries(rawFrames)) {
      const f = isLocalPane(pane) ? parse(FrameSchema, raw) : null;
      if (!f) continue;
      frames.set(pane, f);
      const old = held?.frames.get(pane);
      if (!old || old.hash !== f.hash || old.lines.join("\n") !== f.lines.join("\n")) changed.push(pane);
    }
    this.nodes.set(node, { topology: topo, frames });
    this.emit("topology", node);
    for (const pane of changed) this.emit("frame", node, pane, null, 0);
  }

  private async apply(message: Record<string, string>): Promise<void> {
    const node = message.n;
    // A forged or damaged entry (a name that is no node's, an id that is no pane's) is skipped.
    if (!isNodeName(node) || node === this.self) return;
    const kind = message.k;
    if (kind === "r" || !this.nodes.has(node)) return this.load(node);
    const n = this.nodes.get(node)!;
    if (kind === "t") {
      const topo = parseTopology(message.d ?? "");
      if (!topo) return;
      n.topology = topo;
      const live = new Set(allPanes(n.topology).map((p) => p.id));
      for (const pane of n.frames.keys()) if (!live.has(pane)) n.frames.delete(pane);
      this.emit("topology", node);
    } else if (kind === "x") {
      const pane = parse(z.string().refine(isLocalPane), message.d ?? "");
      if (pane && n.frames.delete(pane)) this.emit("topology", node);
    } else if (kind === "u") {
      const u = parse(UpdateSchema, message.d ?? "") as PaneUpdate | null;
      if (u) await this.update(node, n, u);
    }
  }

  private async update(node: string, n: RemoteNode, u: PaneUpdate): Promise<void> {
    const held = n.frames.get(u.pane);
    if (held && u.seq <= held.seq) return;
    let lines: string[] | null = null;
    let delta: PaneDelta | null = null;
    if (u.delta.kind === "full") lines = u.delta.lines;
    else if (held && held.seq === u.base) {
      lines = applyDelta(held.lines, u.delta);
      delta = u.delta;
    }
    if (!lines) {
      // A gap (trimmed stream, missed entry): the stored frame is the current one.
      const raw = await this.redis.hGet(keys.frames(node), u.pane);
      const f = raw ? parse(FrameSchema, raw) : null;
      if (!f || (held && f.seq <= held.seq)) return;
      n.frames.set(u.pane, f);
      this.emit("frame", node, u.pane, null, 0);
      return;
    }
    n.frames.set(u.pane, { seq: u.seq, lines, hash: u.hash, width: u.width, height: u.height });
    this.emit("frame", node, u.pane, delta, u.base);
  }
}

/** A node's topology, refused whole unless every id in it is local to that node. */
function parseTopology(raw: string): Topology | null {
  const t = parse(TopologySchema, raw);
  return t && localTopologyValid(t) ? t : null;
}

function parse<T>(schema: z.ZodType<T>, raw: string): T | null {
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
