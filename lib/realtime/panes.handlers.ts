import { PaneNotFound } from "../tmux/errors.ts";
import { handle } from "./handle.ts";
import type { RealtimeDeps } from "./deps.ts";
import { BatchAckSchema, EmptySchema, HistorySchema, ResyncSchema, SubscribeSchema } from "./messages.ts";
import type { PanecastSocket } from "./types.ts";


/**
 * Thin handlers: validate, call the domain, answer the ack. A bad message gets an error with a code
 * and changes nothing.
 */
export function registerPaneHandlers(socket: PanecastSocket, deps: RealtimeDeps): void {
  const { hub, config } = deps;

  handle(socket, "subscribe", SubscribeSchema, (req) => hub.subscribe(socket.id, req));

  handle(socket, "pane:resync", ResyncSchema, (req) => {
    const u = hub.resync(socket.id, req.pane);
    if (!u) throw new PaneNotFound(req.pane);
    return u;
  });

  handle(socket, "pane:history", HistorySchema, async (req) => {
    const p = socket.data.principal;
    if (!hub.canSee(socket.id, req.pane)) throw new PaneNotFound(req.pane);
    const n = Math.min(req.lines ?? config.capture.history_lines, config.capture.history_lines);
    if (n === 0) return { pane: req.pane, lines: [] };
    return { pane: req.pane, lines: await deps.history(req.pane, n, { token: p.name, role: p.role }) };
  });

  handle(socket, "topology:get", EmptySchema, () => hub.topologyFor(socket.id));

  // No answer: an acknowledgement only frees the client's window (lib/hub, flow control).
  handle(socket, "batch:ack", BatchAckSchema, (req) => hub.acked(socket.id, req.n));
}
