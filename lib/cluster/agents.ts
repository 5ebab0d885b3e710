import { EventEmitter } from "node:events";
import type { Awareness } from "../agents/awareness.ts";
import type { HubFeedEvents } from "../hub/feeds.ts";
import type { TopicSource } from "../hub/ports.ts";
import type { NeedsYouItem } from "../protocol.ts";
import type { ClusterBus } from "./bus.ts";
import type { ClusterEventLog } from "./events.ts";
import type { ClusterFacts } from "./facts.ts";
import { NodeLifecycle } from "./lifecycle.ts";
import type { Liveness } from "./liveness.ts";
import { ClusterNeedsYou, type OwnQueue } from "./needs-you.ts";
import type { Redis } from "./redis.ts";
import type { ClusterPaneSource } from "./source.ts";
import type { RemoteStatuses } from "./statuses.ts";
import { clusterTopics } from "./topics.ts";

/** The cluster's parts the agents' side reads and writes (lib/cluster/cluster.ts builds them). */
export interface ClusterParts {
  redis: Redis;
  bus: ClusterBus;
  node: string;
  source: ClusterPaneSource;
  liveness: Liveness;
  events: ClusterEventLog;
  statuses: RemoteStatuses;
  facts: ClusterFacts;
}

/**
 * The agents' side of a cluster node, built once this node's agents and needs-you queue exist: it
 * writes what they find (events, resources, git, the queue) for the other nodes, raises node
 * lifecycle events and alerts, and gives the hub the whole cluster's topics, with what changes them
 * (its events, which lib/hub/feeds.ts passes on to the hub).
 */
export class ClusterAgents extends EventEmitter<HubFeedEvents> {
  /** The hub's whole topics (sessions push, resources, the needs-you queue) for every node. */
  readonly topics: TopicSource;
  /** `node.offline` alerts, once per cluster, for the notifier (with its grace). */
  readonly lifecycle: NodeLifecycle;
  private readonly needsYou: ClusterNeedsYou;

  /** `local`: this node's topics; `queue`: its own needs-you queue. */
  constructor(c: ClusterParts, awareness: Awareness, local: TopicSource, queue: OwnQueue, opts: { maxResolved: number; maxOpen: number }) {
    super();
    this.needsYou = new ClusterNeedsYou(c.redis, c.bus, c.node, queue, opts);
    this.topics = clusterTopics(local, { source: c.source, statuses: c.statuses, facts: c.facts, nodes: () => c.liveness.list(), needsYou: (visible) => this.needsYou.payload(visible, c.liveness.offline()) });
    c.events.follow(awareness.events);
    this.lifecycle = new NodeLifecycle(c.redis, c.node, c.liveness, awareness.events, () => c.source.topology);
    // The node list changed: the sessions push shows who is offline, the queue marks their items.
    c.liveness.on("changed", () => {
      this.emit("sessions");
      this.needsYou.emit("changed");
    });
    c.liveness.on("dropped", (node) => {
      this.needsYou.drop(node);
      this.emit("sessions");
    });
    // Clients on other nodes: this node's samplers run while anyone in the cluster watches.
    c.liveness.on("clients", () => awareness.watchers(0));
    this.needsYou.on("changed", () => this.emit("needsYou"));
    c.facts.on("git", () => this.emit("sessions"));
    c.facts.on("resources", () => this.emit("resources"));
    awareness.resources.on("sample", () => c.facts.publishResources(awareness.resources.latest));
    awareness.git.on("changed", () => c.facts.publishGit(awareness.git.state));
    // What the agents knew before this: written now (and again whenever Redis comes back).
    c.facts.publishResources(awareness.resources.latest);
    c.facts.publishGit(awareness.git.state);
    c.events.on("event", (e) => {
      const s = c.statuses.take(e);
      if (s) this.emit("status", s);
      const a = c.statuses.alertOf(e);
      if (a) this.emit("alert", a);
    });
    c.events.on("loaded", () => {
      for (const e of c.events.recent()) c.statuses.take(e);
      this.emit("sessions");
    });
  }

  /** Another node's open needs-you item for a pane (cluster id). */
  item(pane: string): NeedsYouItem | undefined {
    return this.needsYou.item(pane);
  }

  stop(): void {
    this.needsYou.stop();
  }
}
