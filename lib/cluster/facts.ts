import { EventEmitter } from "node:events";
import { z } from "zod";
import { log } from "../log.ts";
import type { GitState, ResourcesPayload } from "../protocol.ts";
import { ResourcesSchema, SessionsSchema } from "../protocol/payloads.ts";
import { keys } from "./keys.ts";
import { clusterPane, isNodeName } from "./wire-check.ts";
import type { Redis } from "./redis.ts";

/** What a node knows of its own panes beyond their screens: the last resources sample and git states. */
export interface Facts {
  resources: ResourcesPayload | null;
  git: Record<string, GitState | null>;
}

export interface FactsEvents {
  /** Another node's resources sample changed (or its node was loaded or dropped). */
  resources: [];
  /** Another node's git states changed. */
  git: [];
}

const GitRecord = SessionsSchema.shape.git;

/**
 * Resources and git state across the cluster. Each node writes its own to one hash
 * (`panecast:facts:<node>`, fields `resources` and `git`, so bounded by its pane count) and announces
 * the write on a channel; the others read that node's hash on the notice, on start and when Redis
 * comes back. Written at most once per `minIntervalMs` per field (latest kept), so a busy fleet costs
 * Redis one small write per sample interval and node.
 */
export class ClusterFacts extends EventEmitter<FactsEvents> {
  private readonly others = new Map<string, Facts>();
  private readonly due = new Map<"resources" | "git", string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly self: string,
    private readonly maxPanes: number,
    private readonly minIntervalMs = 250,
  ) {
    super();
  }

  /** What this node published last, written again whenever Redis comes back. */
  private readonly mine: Facts = { resources: null, git: {} };

  async subscribe(sub: Redis): Promise<void> {
    await sub.subscribe(keys.factsChanged, (node) => {
      if (node !== this.self && isNodeName(node)) void this.load(node);
    });
  }

  /** This node's latest sample (pane ids already qualified). */
  publishResources(r: ResourcesPayload | null): void {
    this.mine.resources = r ?? this.mine.resources;
    if (r) this.queue("resources", JSON.stringify(r));
  }

  publishGit(git: Record<string, GitState | null>): void {
    this.mine.git = git;
    this.queue("git", JSON.stringify(git));
  }

  /** Writes this node's latest again (after Redis came back) and reads every other node's. */
  async resync(nodes: string[]): Promise<void> {
    this.publishGit(this.mine.git);
    this.publishResources(this.mine.resources);
    for (const n of nodes) if (n !== this.self) await this.load(n);
  }

  /** Other nodes' pane resources (online nodes only: an offline node's figures are not current). */
  resourcesOf(offline: ReadonlySet<string>): Record<string, ResourcesPayload["panes"][string]> {
    const panes: Record<string, ResourcesPayload["panes"][string]> = {};
    for (const [node, f] of this.others) if (!offline.has(node) && f.resources) Object.assign(panes, f.resources.panes);
    return panes;
  }

  gitOf(): Record<string, GitState | null> {
    const git: Record<string, GitState | null> = {};
    for (const f of this.others.values()) Object.assign(git, f.git);
    return git;
  }

  drop(node: string): void {
    if (!this.others.delete(node)) return;
    this.emit("resources");
    this.emit("git");
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async load(node: string): Promise<void> {
    if (!isNodeName(node)) return;
    let raw: Record<string, string>;
    try {
      raw = await this.redis.hGetAll(keys.facts(node));
    } catch (err) {
      return void log.debug({ err: err instanceof Error ? err.message : String(err), node }, "cluster: could not read a node's resources and git");
    }
    const before = this.others.get(node);
    const next: Facts = { resources: this.parseResources(node, raw.resources), git: this.parseGit(node, raw.git) };
    this.others.set(node, next);
    if (JSON.stringify(before?.resources ?? null) !== JSON.stringify(next.resources)) this.emit("resources");
    if (JSON.stringify(before?.git ?? {}) !== JSON.stringify(next.git)) this.emit("git");
  }

  private queue(field: "resources" | "git", json: string): void {
    this.due.set(field, json);
    this.timer ??= setTimeout(() => void this.flush(), this.minIntervalMs);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    if (this.due.size === 0) return;
    const fields = Object.fromEntries(this.due);
    this.due.clear();
    try {
      await this.redis.multi().hSet(keys.facts(this.self), fields).publish(keys.factsChanged, this.self).exec();
    } catch {
      // Redis away: the resync when it is back writes the latest again.
    }
  }

  // Another node's data is input like any other: checked, limited to its own panes, bounded.
  private parseResources(node: string, raw: string | undefined): ResourcesPayload | null {
    const r = raw ? safeJson(ResourcesSchema, raw) : null;
    if (!r) return null;
    return { ...r, panes: Object.fromEntries(this.own(node, Object.entries(r.panes))) };
  }

  private parseGit(node: string, raw: string | undefined): Record<string, GitState | null> {
    const g = raw ? safeJson(GitRecord, raw) : null;
    return g ? Object.fromEntries(this.own(node, Object.entries(g))) : {};
  }

  private own<T>(node: string, entries: Array<[string, T]>): Array<[string, T]> {
    return entries.filter(([id]) => clusterPane(id)?.node === node).slice(0, this.maxPanes);
  }
}

function safeJson<T>(schema: z.ZodType<T>, raw: string): T | null {
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
