import { EventEmitter } from "node:events";
import type { EventLog } from "../events/event-log.ts";
import { log } from "../log.ts";
import type { PaneAlert, Topology } from "../protocol.ts";
import { keys } from "./keys.ts";
import type { Liveness } from "./liveness.ts";
import type { Redis } from "./redis.ts";

export interface LifecycleEvents {
  /** A node went offline and this node won the claim: hand the alert to the notifier (once per cluster). */
  alert: [alert: PaneAlert, stillDue: () => boolean];
}

/** How long a claim is kept: longer than any node takes to see the same transition. */
const CLAIM_MS = 10 * 60_000;

/**
 * Node lifecycle as fleet events: when a node goes offline or comes back, `node.offline` or
 * `node.online` is written to the shared event stream once per cluster (the first node to claim the
 * transition in Redis, `SET NX`, writes it; the claim is named by the node's last heartbeat, the same
 * on every node). The offline one also raises a `node-offline` alert, written as a `pane.alert` event
 * for every node's page and handed to this node's notifier, whose grace drops it if the node is back
 * in time.
 */
export class NodeLifecycle extends EventEmitter<LifecycleEvents> {
  /** Nodes this node saw go offline, with the heartbeat that names the outage. */
  private readonly down = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly self: string,
    liveness: Liveness,
    private readonly local: EventLog,
    private readonly topology: () => Topology,
  ) {
    super();
    liveness.on("transition", (node, online, lastSeen) => void this.onTransition(node, online, lastSeen));
    liveness.on("dropped", (node) => this.down.delete(node));
  }

  private async onTransition(node: string, online: boolean, lastSeen: string): Promise<void> {
    const outage = online ? this.down.get(node) : lastSeen;
    if (online) this.down.delete(node);
    else this.down.set(node, lastSeen);
    if (outage === undefined) return;
    const kind = online ? "node.online" : "node.offline";
    let won = false;
    try {
      won = (await this.redis.set(keys.claim(`${kind}:${node}:${outage}`), this.self, { NX: true, PX: CLAIM_MS })) === "OK";
    } catch (err) {
      log.debug({ err: err instanceof Error ? err.message : String(err), node }, "cluster: could not claim a node transition");
    }
    if (!won) return;
    this.local.append({ type: kind, session: null, window: null, windowId: null, pane: null, data: { node, lastSeen } });
    if (online) return;
    const alert = this.alertFor(node, lastSeen);
    this.local.append({ type: "pane.alert", session: alert.session || null, window: null, windowId: null, pane: alert.pane || null, data: { ...alert } });
    this.emit("alert", alert, () => this.down.get(node) === lastSeen);
  }

  /** Names the node's first pane, so the alert opens a pane that shows it offline. */
  private alertFor(node: string, lastSeen: string): PaneAlert {
    const session = this.topology().sessions.find((s) => s.node === node && s.windows.some((w) => w.panes.length > 0));
    const window = session?.windows.find((w) => w.panes.length > 0);
    return {
      id: `node-offline:${node}:${lastSeen}`,
      kind: "node-offline",
      pane: window?.panes[0]?.id ?? "",
      session: session?.name ?? "",
      window: window?.index ?? 0,
      agentId: null,
      message: `node ${node} is offline`,
      line: null,
      at: new Date().toISOString(),
    };
  }
}
