import { EventEmitter, once } from "node:events";
import type { Awareness } from "../agents/awareness.ts";
import type { TopicSource } from "../hub/ports.ts";
import type { Config } from "../config.ts";
import { log } from "../log.ts";
import type { SendRequest, SendResult } from "../panes/sender.ts";
import type { NodeView } from "../panes/node-view.ts";
import type { NodeInfo, PaneAnswerRequest, PaneAnswerResult, SearchRequest, SearchResult, TerminalInput } from "../protocol.ts";
import type { Caller } from "../protocol/caller.ts";
import { allPanes } from "../topology.ts";
import { ClusterBus } from "./bus.ts";
import { CommandClient } from "./command-client.ts";
import { nodeNameOf } from "./ids.ts";
import { keys } from "./keys.ts";
import { Liveness } from "./liveness.ts";
import { Publisher } from "./publisher.ts";
import { closeClient, connectInBackground, redisClient, type Redis } from "./redis.ts";
import { RemoteStore } from "./remote.ts";
import { ClusterRouting } from "./routing.ts";
import { ClusterPaneSource } from "./source.ts";
import { RedisTokenStore } from "./tokens.ts";
import { ClusterEventLog } from "./events.ts";
import { RemoteStatuses } from "./statuses.ts";
import { ClusterFacts } from "./facts.ts";
import { ClusterAgents } from "./agents.ts";
import { ClusterSessionTable } from "./login-sessions.ts";
import { ClusterCookieKey } from "./cookie-key.ts";
import type { OwnQueue } from "./needs-you.ts";
import { RedisOneTime } from "./one-time.ts";
import { ClusterPush } from "./push-state.ts";
import { sealer } from "./seal.ts";
import { LoginGrantSchema, type LoginGrant } from "../auth/login-links.ts";
import { CapabilitySchema, type Capability } from "../needs-you/capabilities.ts";
import type { SharedSignIns } from "../auth/auth.ts";
import { parseDuration } from "../auth/tokens.ts";

export interface ClusterEvents {
  /** The node list changed (a node went online or offline, joined or was dropped). */
  nodes: [NodeInfo[]];
}

/**
 * This node's part in a cluster (`cluster.redis_url` set): it publishes its panes, reads every other
 * node's, heartbeats, carries sends and history reads to the owning node, and holds the shared token
 * store. Redis is the only thing between nodes; while it is down this node serves its own panes and
 * shows the others offline, and it picks everything up again when Redis is back.
 */
export class Cluster extends EventEmitter<ClusterEvents> {
  readonly node: string;
  readonly source: ClusterPaneSource;
  readonly tokens: RedisTokenStore;
  readonly liveness: Liveness;
  readonly events: ClusterEventLog;
  readonly statuses: RemoteStatuses;
  readonly facts: ClusterFacts;
  /** Sign-ins shared by every node: the cookie key and the login sessions, in Redis. */
  readonly signIns: SharedSignIns & { key: ClusterCookieKey; sessions: ClusterSessionTable };
  /** Single-use secrets every node can claim once: phone sign-in links and push answer capabilities. */
  readonly oneTime: { loginLinks: RedisOneTime<LoginGrant>; answerCaps: RedisOneTime<Capability> };
  /** Web Push subscriptions and the VAPID key pair every node shares (null: push is off). */
  readonly push: ClusterPush | null;
  private readonly eventReader: Redis;
  private readonly redis: Redis;
  private readonly reader: Redis;
  private readonly sub: Redis;
  private readonly remote: RemoteStore;
  private readonly publisher: Publisher | null;
  private readonly commands: CommandClient;
  /** Pub/sub for the parts built after the cluster (the CommandServer), subscribed once connected. */
  readonly bus: ClusterBus;
  private readonly routing: ClusterRouting;
  private started = false;
  private maintainTimer: NodeJS.Timeout | null = null;
  private syncing = false;
  private synced = false;
  private syncedOnce = false;
  private listening = false;
  private markReady: () => void = () => {};
  /** Resolves the first time this node is in step with Redis. */
  private readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  /** `local`: this node's panes (null: a web-only node); `clients`: how many clients it serves now. */
  constructor(config: Config, local: NodeView | null, version: string, clients: () => number = () => 0) {
    super();
    const url = config.cluster.redis_url;
    if (!url) throw new Error("cluster: redis_url is not set");
    this.node = nodeNameOf(config.cluster.node);
    this.redis = redisClient(url, `${this.node}-main`);
    this.reader = redisClient(url, `${this.node}-stream`);
    this.sub = redisClient(url, `${this.node}-sub`);
    this.eventReader = redisClient(url, `${this.node}-events`);
    this.events = new ClusterEventLog(this.redis, this.eventReader, this.node, { maxlen: config.cluster.events_maxlen, ringSize: config.events.ring_size });
    this.remote = new RemoteStore(this.redis, this.reader, this.node, async () => Object.keys(await this.redis.hGetAll(keys.nodes)));
    this.source = new ClusterPaneSource(local, this.remote, this.node);
    // Other nodes read this node's panes under tmux's ids and qualify them with the stream's node.
    this.publisher = local ? new Publisher(this.redis, local.tracker, this.node, config.cluster.updates_maxlen) : null;
    this.tokens = new RedisTokenStore(this.redis);
    this.statuses = new RemoteStatuses(this.node, this.source, config.watch.max_panes);
    this.facts = new ClusterFacts(this.redis, this.node, config.watch.max_panes);
    this.signIns = { key: new ClusterCookieKey(this.redis), sessions: new ClusterSessionTable(this.redis, parseDuration(config.auth.session_ttl)) };
    const seal = sealer(config.cluster.secret);
    this.push = config.push.enabled ? new ClusterPush(this.redis, seal, config.push.max_subscriptions_per_token) : null;
    if (this.push && !seal.encrypts) log.warn("cluster: cluster.secret is not set, so push endpoints, browser keys and the VAPID private key are kept in redis unencrypted");
    this.oneTime = { loginLinks: new RedisOneTime(this.redis, keys.loginLink, LoginGrantSchema), answerCaps: new RedisOneTime(this.redis, keys.answerCap, CapabilitySchema) };
    this.bus = new ClusterBus(this.redis, this.sub);
    this.commands = new CommandClient(this.bus, this.node, config.cluster.command_timeout_ms);
    this.liveness = new Liveness(this.redis, this.node, {
      offlineAfterMs: config.cluster.offline_after_ms,
      offlineTtlMs: config.cluster.offline_ttl_ms,
      version,
      panes: () => (local ? allPanes(local.topology).length : 0),
      clients,
    });
    this.routing = new ClusterRouting(this.node, this.source, this.liveness, this.commands, config.cluster.search_timeout_ms, () => this.remote.nodes.keys());
    this.liveness.on("changed", () => {
      this.source.setOffline(this.liveness.offline());
      this.emit("nodes", this.liveness.list());
    });
    this.liveness.on("dropped", (node) => {
      this.remote.drop(node);
      this.facts.drop(node);
      this.emit("nodes", this.liveness.list());
    });
    // Every (re)connection: write this node's state again and read everyone else's.
    this.redis.on("ready", () => void this.onReady());
    this.redis.on("error", () => (this.synced = false));
  }

  /** Whether this node reaches Redis now. */
  get connected(): boolean {
    return this.redis.isReady;
  }

  /** Connects in the background; resolves once Redis answered and the tokens are read (or after `waitMs` while Redis is down). */
  async start(opts: { waitMs: number }): Promise<void> {
    this.started = true;
    connectInBackground(this.redis);
    connectInBackground(this.reader);
    connectInBackground(this.sub);
    connectInBackground(this.eventReader);
    this.remote.start();
    this.events.start();
    this.liveness.start();
    // A write that failed while Redis stayed up leaves this node out of step: write it all again.
    this.maintainTimer = setInterval(() => {
      if (this.redis.isReady && (!this.synced || this.bus.outOfStep || this.publisher?.outOfStep || this.push?.outOfStep) && !this.syncing) void this.onReady();
    }, 1000);
    await Promise.race([this.ready, new Promise((r) => setTimeout(r, opts.waitMs).unref())]);
    if (!this.redis.isReady) this.events.endStartup();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.maintainTimer) clearInterval(this.maintainTimer);
    this.commands.stop();
    this.facts.stop();
    await this.liveness.stop();
    await Promise.all([this.remote.stop(), this.events.stop()]);
    await Promise.all([closeClient(this.redis), closeClient(this.reader), closeClient(this.sub), closeClient(this.eventReader)]);
  }

  /**
   * The agents' side of this node in the cluster (lib/cluster/agents.ts), built once its agents and
   * needs-you queue exist: `local` is this node's topics, `queue` its own queue.
   */
  agents(awareness: Awareness, local: TopicSource, queue: OwnQueue, opts: { maxResolved: number; maxOpen: number }): ClusterAgents {
    const parts = { redis: this.redis, bus: this.bus, node: this.node, source: this.source, liveness: this.liveness, events: this.events, statuses: this.statuses, facts: this.facts };
    return new ClusterAgents(parts, awareness, local, queue, opts);
  }

  /** Clients connected to the other nodes (this node samples its panes while anyone watches). */
  remoteClients(): number {
    return this.liveness.remoteClients();
  }

  /** Whether this node may make the first admin token: one node only, even when several start at once. */
  async claimBootstrap(): Promise<boolean> {
    if (!this.tokens.ready || this.tokens.size > 0) return false;
    return (await this.redis.set(keys.bootstrap, this.node, { NX: true }).catch(() => null)) === "OK";
  }

  nodes(): NodeInfo[] {
    return this.liveness.list();
  }

  /** Types to a pane on any node: locally through the sender, elsewhere through the owning node. */
  async send(req: SendRequest, caller: Caller, localSend: (req: SendRequest) => Promise<SendResult>): Promise<SendResult> {
    const at = await this.routing.owner(req.pane);
    if (at.node === this.node) return localSend({ ...req, pane: at.local });
    return this.commands.send(at.node, { ...req, pane: at.local }, caller);
  }

  /** Keyboard mode's input to a pane on any node. */
  async keys(pane: string, input: TerminalInput[], caller: Caller, localKeys: (pane: string, input: TerminalInput[]) => Promise<number>): Promise<number> {
    const at = await this.routing.owner(pane);
    if (at.node === this.node) return localKeys(at.local, input);
    return this.commands.keys(at.node, at.local, input, caller);
  }

  /**
   * A one-tap answer to any node's needs-you item: this node's own through `localAnswer` (cluster
   * ids), another node's on that node, which checks the prompt against its own screen (STALE_PROMPT).
   */
  async answer(req: PaneAnswerRequest, caller: Caller, localAnswer: (req: PaneAnswerRequest) => Promise<PaneAnswerResult>): Promise<PaneAnswerResult> {
    const at = await this.routing.owner(req.pane);
    if (at.node === this.node) return localAnswer(req);
    return this.commands.answer(at.node, { ...req, pane: at.local }, caller);
  }

  async history(pane: string, lines: number, caller: Caller, localHistory: (pane: string, lines: number) => Promise<string[]>): Promise<string[]> {
    const at = await this.routing.owner(pane);
    if (at.node === this.node) return localHistory(at.local, lines);
    return this.commands.history(at.node, at.local, lines, caller);
  }

  /** A search of every other live node's recordings (see ClusterRouting.searchOthers). */
  searchOthers(req: SearchRequest, caller: Caller, only: ReadonlyMap<string, string[]> | null): Promise<{ results: SearchResult[]; unanswered: string[] }> {
    return this.routing.searchOthers(req, caller, only);
  }

  private async onReady(): Promise<void> {
    if (this.syncing || !this.started) return;
    this.syncing = true;
    try {
      if (!this.sub.isReady) await once(this.sub, "ready");
      await this.bus.listen();
      if (!this.listening) {
        // Each subscription once (node-redis subscribes again by itself after a reconnect).
        await this.tokens.subscribe(this.sub);
        // A node that leaves or joins says so: read the heartbeats now rather than at the next scan.
        await this.sub.subscribe([keys.leaving, keys.joined], (node) => node !== this.node && void this.liveness.tick());
        await this.facts.subscribe(this.sub);
        await this.signIns.key.subscribe(this.sub);
        await this.signIns.sessions.subscribe(this.sub);
        await this.push?.subscribe(this.sub);
        this.listening = true;
      }
      // Read before the token store marks Redis as holding panecast's data again.
      const lostData = this.syncedOnce && (await this.redis.exists(keys.present)) === 0;
      await this.tokens.load();
      await this.signIns.key.load();
      await this.signIns.sessions.load();
      await this.push?.resync(lostData);
      // The heartbeat first: a node that reloads between it and the resync still learns of this one.
      await this.liveness.tick();
      await this.publisher?.resync();
      this.remote.reloadAll();
      const nodes = Object.keys(await this.redis.hGetAll(keys.nodes));
      await this.facts.resync(nodes);
      await this.bus.resync();
      this.synced = true;
      this.syncedOnce = true;
      this.markReady();
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, "cluster: resync after connecting failed; retrying");
      this.synced = false;
    } finally {
      this.syncing = false;
    }
  }
}
