import { PanecastError } from "../errors.ts";
import type { NodeInfo, SearchRequest, SearchResult } from "../protocol.ts";
import type { Caller } from "../protocol/caller.ts";
import { PaneNotFound } from "../tmux/errors.ts";
import type { CommandClient } from "./command-client.ts";
import type { Liveness } from "./liveness.ts";
import type { ClusterPaneSource } from "./source.ts";

/** Where a request about a pane, or a search, goes: this node, or the member nodes that own it. */
export class ClusterRouting {
  private readonly node: string;
  private readonly source: ClusterPaneSource;
  private readonly liveness: Liveness;
  private readonly commands: CommandClient;
  private readonly searchTimeoutMs: number;
  /** The nodes whose panes this node holds (read from Redis). */
  private readonly remoteNodes: () => Iterable<string>;

  constructor(node: string, source: ClusterPaneSource, liveness: Liveness, commands: CommandClient, searchTimeoutMs: number, remoteNodes: () => Iterable<string>) {
    this.node = node;
    this.remoteNodes = remoteNodes;
    this.source = source;
    this.liveness = liveness;
    this.commands = commands;
    this.searchTimeoutMs = searchTimeoutMs;
  }

  /**
   * The node that owns a pane, refused unless it is this node or a member whose heartbeat is read:
   * a pane under a name that only a forged Redis entry gave is never sent to (NODE_UNAVAILABLE).
   */
  async owner(pane: string): Promise<{ node: string; local: string }> {
    const at = this.source.locate(pane);
    if (!at) throw new PaneNotFound(pane);
    if (at.node === this.node) return at;
    const member = (await this.members([at.node])).find((n) => n.name === at.node);
    if (!member) throw new PanecastError("NODE_UNAVAILABLE", `node ${at.node} is not a member of this cluster`);
    if (!member.online) throw new PanecastError("NODE_UNAVAILABLE", `node ${at.node} is offline`);
    return at;
  }

  /**
   * A search of every other live node's recordings (or, with `only`, of those nodes, each for its
   * own panes), at once. Each owning node applies the asker's session limits itself. A node that is
   * offline, or does not answer within `cluster.search_timeout_ms`, is named in `unanswered`; a node
   * that records nothing adds no hits.
   */
  async searchOthers(req: SearchRequest, caller: Caller, only: ReadonlyMap<string, string[]> | null): Promise<{ results: SearchResult[]; unanswered: string[] }> {
    // Every node whose panes this node holds, or that the asker named, is asked once its heartbeat is read.
    const members = await this.members([...this.remoteNodes(), ...(only?.keys() ?? [])]);
    const offline = this.liveness.offline();
    const results: SearchResult[] = [];
    const unanswered: string[] = [];
    const targets = members.filter((n) => n.name !== this.node && (!only || only.has(n.name)));
    await Promise.all(
      targets.map(async ({ name }) => {
        if (offline.has(name)) return void unanswered.push(name);
        const panes = only?.get(name);
        try {
          results.push(await this.commands.search(name, { ...req, ...(panes ? { panes } : {}) }, caller, this.searchTimeoutMs));
        } catch (err) {
          if (!(err instanceof PanecastError && err.code === "RECORDING_OFF")) unanswered.push(name);
        }
      }),
    );
    return { results, unanswered: unanswered.sort() };
  }

  /**
   * The nodes whose heartbeat this node has read, read again first when one it needs is not among
   * them yet: a node that joined since the last scan is a member as soon as its heartbeat is written.
   */
  private async members(needed: Iterable<string>): Promise<NodeInfo[]> {
    const list = this.liveness.list();
    const known = new Set(list.map((n) => n.name));
    for (const name of needed) if (!known.has(name)) return (await this.liveness.tick(), this.liveness.list());
    return list;
  }
}
