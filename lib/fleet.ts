import type { EventEmitter } from "node:events";
import type { Awareness } from "./agents/awareness.ts";
import type { AuditLog } from "./auth/audit.ts";
import { CommandServer } from "./cluster/command-server.ts";
import type { LocalSearch } from "./cluster/commands.ts";
import type { Auth } from "./auth/auth.ts";
import type { Config } from "./config.ts";
import { Cluster } from "./cluster/cluster.ts";
import { localCommands } from "./cluster/local-commands.ts";
import { topicsOf, type EventSource, type HubFeedEvents } from "./hub/feeds.ts";
import type { NeedsYouQueue } from "./needs-you/queue.ts";
import type { HeldAlerts } from "./notify/notifier.ts";
import type { PaneSource, TopicSource } from "./hub/ports.ts";
import type { CloseWatch } from "./panes/close-watch.ts";
import { sendInput } from "./panes/keyboard.ts";
import type { NodeView } from "./panes/node-view.ts";
import { sendToPane, type SendRequest, type SendResult } from "./panes/sender.ts";
import type { PaneTracker } from "./panes/tracker.ts";
import type { EventsSubscribeResult, NeedsYouItem, NodeInfo, PaneAnswerRequest, PaneAnswerResult, TerminalInput } from "./protocol.ts";
import type { Caller } from "./protocol/caller.ts";
import type { TmuxRuntime } from "./tmux/runtime.ts";
import { VERSION } from "./version.ts";

/** An event log clients replay from (`events:subscribe`) and the hub follows. */
export type FleetEvents = EventSource & { since(id: string | undefined): EventsSubscribeResult | Promise<EventsSubscribeResult> };

/**
 * What differs between one node and a cluster, chosen once (lib/app.ts): the panes the hub serves,
 * where a send, keys or a history read goes, which event log clients replay, how far the topics
 * reach, and what a client's held seqs belong to. Everything else is built the same either way.
 */
export interface Fleet {
  /** Cluster mode (`cluster.redis_url` set): this node's part; null on a single node. */
  readonly cluster: Cluster | null;
  /** The cluster's shared token store and sign-ins (in Redis); undefined: this node's files. */
  readonly tokens: Cluster["tokens"] | undefined;
  readonly signIns: Cluster["signIns"] | undefined;
  /** The hub's panes: this node's view, merged with every other node's in a cluster. */
  readonly source: PaneSource;
  /**
   * What a client's held seqs belong to. In a cluster a pane's seqs are its node's and only grow, so
   * one name for the whole cluster: a client that resumes on any node gets deltas for what it holds.
   */
  readonly paneEpoch: string;
  send(req: SendRequest, caller: Caller): Promise<SendResult>;
  keys(pane: string, input: TerminalInput[], caller: Caller): Promise<number>;
  history(pane: string, lines: number, caller: Caller): Promise<string[]>;
  /** A one-tap answer: this node's items through `local`, another node's on that node. */
  answer(req: PaneAnswerRequest, caller: Caller, local: (req: PaneAnswerRequest, caller: Caller) => Promise<PaneAnswerResult>): Promise<PaneAnswerResult>;
  /** One of this node's panes' screen now (cluster or local id), for a one-tap answer's check. */
  readonly capture: (pane: string) => Promise<string[]>;
  /** The nodes and whether they are online; null on a single node. */
  readonly nodes: (() => NodeInfo[]) | null;
  /** Clients served by other nodes (this node samples its panes while anyone watches). */
  remoteClients(): number;
  /** What the agents find, as far as the fleet reaches: built once this node's agents and queue exist. */
  agents(local: { awareness: Awareness; needsYou: NeedsYouQueue }): FleetAgents;
  /** The first admin token, made at once on a single node (a cluster's is made in `start`, once). */
  firstAdmin(auth: Auth): string | null;
  /**
   * What this node runs when another node asks (a cluster node's CommandServer; null on a single
   * node), built once what it runs exists: the audit log, the answer path, the recorder's search.
   */
  commandServer(parts: { audit: AuditLog; answer: (req: PaneAnswerRequest, caller: Caller) => Promise<PaneAnswerResult>; search: LocalSearch | null }): CommandServer | null;
  /** Connects (a cluster node waits for Redis at most `cluster.offline_after_ms`); resolves with the first admin token if this node made it. */
  start(auth: Auth): Promise<string | null>;
  stop(): Promise<void>;
}

/** The agents' findings as the hub and the notifier take them: this node's, or every node's. */
export interface FleetAgents {
  /** The topics the hub sends whole (sessions, resources, the needs-you queue). */
  readonly topics: TopicSource;
  /** This node's event log, or the cluster's shared stream it feeds. */
  readonly events: FleetEvents;
  /** What changes on other nodes, for the hub (lib/hub/feeds.ts); null on a single node. */
  readonly others: EventEmitter<HubFeedEvents> | null;
  /** Node lifecycle alerts (a node went offline), once per cluster, for the notifier; null on a single node. */
  readonly held: HeldAlerts | null;
  /** An open needs-you item of any node's pane. */
  item(pane: string): NeedsYouItem | undefined;
  stop(): void;
}

interface Local {
  config: Config;
  runtime: TmuxRuntime;
  tracker: PaneTracker;
  view: NodeView;
  epoch: string;
  /** Panes typed into are marked here: read at the frame pace for a while. */
  closeWatch: CloseWatch;
}

/**
 * The fleet this node is part of: a cluster when `cluster.redis_url` is set, else this node alone.
 * `clients`: how many clients this node serves now (a cluster node's heartbeat carries it).
 */
export function createFleet(local: Local, clients: () => number): Fleet {
  return local.config.cluster.redis_url ? clusterNode(local, clients) : singleNode(local);
}

/** One node: the view is the hub's source, and everything runs here. */
function singleNode({ runtime, tracker, view, epoch, closeWatch }: Local): Fleet {
  return {
    cluster: null,
    tokens: undefined,
    signIns: undefined,
    source: view,
    paneEpoch: epoch,
    send: (req) => sendToPane(runtime, typed(closeWatch, req)),
    keys: (pane, input) => sendInput(runtime, typed(closeWatch, pane), input),
    history: (pane, lines) => tracker.history(pane, lines),
    answer: (req, caller, local) => local(req, caller),
    capture: captureOf(runtime, view),
    nodes: null,
    remoteClients: () => 0,
    agents: ({ awareness, needsYou }) => ({
      topics: topicsOf(awareness, needsYou),
      events: awareness.events,
      others: null,
      held: null,
      item: (pane) => needsYou.item(pane),
      stop: () => {},
    }),
    firstAdmin: (auth) => auth.bootstrapAdmin(),
    commandServer: () => null,
    start: async () => null,
    stop: async () => {},
  };
}

/**
 * A cluster node: the hub serves the merge of this node's view and the others' panes; a request for
 * another node's pane goes to that node; this node answers the others' requests for its own panes.
 */
function clusterNode({ config, runtime, tracker, view, closeWatch }: Local, clients: () => number): Fleet {
  const watched = config.tmux.enabled ? tracker : null;
  const cluster = new Cluster(config, watched ? view : null, VERSION, clients);
  return {
    cluster,
    tokens: cluster.tokens,
    signIns: cluster.signIns,
    source: cluster.source,
    paneEpoch: "cluster",
    send: (req, caller) => cluster.send(req, caller, (r) => sendToPane(runtime, typed(closeWatch, r))),
    keys: (pane, input, caller) => cluster.keys(pane, input, caller, (p, i) => sendInput(runtime, typed(closeWatch, p), i)),
    history: (pane, lines, caller) => cluster.history(pane, lines, caller, (p, n) => tracker.history(p, n)),
    answer: (req, caller, local) => cluster.answer(req, caller, (r) => local(r, caller)),
    capture: captureOf(runtime, view),
    nodes: () => cluster.nodes(),
    remoteClients: () => cluster.remoteClients(),
    agents({ awareness, needsYou }) {
      const shared = cluster.agents(awareness, topicsOf(awareness, needsYou), needsYou, { maxResolved: config.needs_you.max_resolved, maxOpen: config.watch.max_panes });
      return {
        topics: shared.topics,
        events: cluster.events,
        others: shared,
        held: shared.lifecycle,
        item: (pane) => needsYou.item(pane) ?? shared.item(pane),
        stop: () => shared.stop(),
      };
    },
    firstAdmin: () => null,
    commandServer: ({ audit, answer, search }) =>
      new CommandServer(cluster.bus, cluster.node, localCommands({ node: cluster.node, runtime, tracker: watched, closeWatch, audit, historyLines: config.capture.history_lines, answer }), search),
    async start(auth) {
      await cluster.start({ waitMs: config.cluster.offline_after_ms });
      // The cluster's tokens are in Redis: the first admin token is made once they are read, by one node.
      const token = auth.enabled && (await cluster.claimBootstrap()) ? auth.bootstrapAdmin() : null;
      await cluster.tokens.settled();
      return token;
    },
    stop: () => cluster.stop(),
  };
}


/** A pane's screen now, read by its local id (a cluster id names this node's pane). */
function captureOf(runtime: TmuxRuntime, view: NodeView): (pane: string) => Promise<string[]> {
  return async (pane) => (await runtime.read(["capture-pane", "-p", "-t", view.localOf(pane) ?? pane])).split("\n");
}

/** Marks the pane a send or keys go to as typed into (its echo is read at the frame pace); returns what it was given. */
function typed<T extends string | { pane: string }>(watch: CloseWatch, target: T): T {
  watch.typed(typeof target === "string" ? target : target.pane);
  return target;
}
