import { PanecastError } from "../errors.ts";
import { PaneNotFound } from "../tmux/errors.ts";
import { claim } from "./flood.ts";
import { handle } from "./handle.ts";
import type { RealtimeDeps } from "./deps.ts";
import { BatchAckSchema, EmptySchema, HistorySchema, ResyncSchema, SubscribeSchema, ViewSetSchema } from "../protocol/messages.ts";
import type { PanecastSocket } from "./types.ts";

let historyReads = 0;

/** `pane:history` reads under way in this process (at most one per socket). */
export function historyReadsInFlight(): number {
  return historyReads;
}

/**
 * Thin handlers: validate, call the domain, answer the ack. A bad message gets an error with a code
 * and changes nothing.
 */
export function registerPaneHandlers(socket: PanecastSocket, deps: RealtimeDeps): void {
  const { hub, config } = deps;

  handle(socket, "subscribe", SubscribeSchema, (req) => {
    // A client cannot hold more panes than the server tracks: more seqs are only work.
    const seqs = req.have ? Object.keys(req.have.seqs).length : 0;
    if (seqs > config.watch.max_panes) throw new PanecastError("MESSAGE_TOO_LARGE", `at most ${config.watch.max_panes} seqs (watch.max_panes)`);
    return hub.subscribe(socket.id, req);
  });

  handle(socket, "pane:resync", ResyncSchema, (req) => {
    const u = hub.resync(socket.id, req.pane);
    if (!u) throw new PaneNotFound(req.pane);
    return u;
  });

  // A history answer is large (2,000 wide lines are about 400 KB): one read at a time per socket, and
  // an answer is queued only if it fits under the socket's and its token's byte bounds (flood.ts).
  let reading = false;
  handle(socket, "pane:history", HistorySchema, async (req) => {
    const p = socket.data.principal;
    if (!hub.canSee(socket.id, req.pane)) throw new PaneNotFound(req.pane);
    const n = Math.min(req.lines ?? config.capture.history_lines, config.capture.history_lines);
    if (n === 0) return { pane: req.pane, lines: [] };
    if (reading) throw new PanecastError("RATE_LIMITED", "one pane:history at a time per connection; wait for the answer");
    reading = true;
    historyReads++;
    try {
      const answer = { pane: req.pane, lines: await deps.history(req.pane, n, { token: p.name, role: p.role }) };
      if (!claim(socket, JSON.stringify(answer).length)) {
        throw new PanecastError("RATE_LIMITED", "too much sent to this token is still unread; read it, then ask again");
      }
      return answer;
    } finally {
      reading = false;
      historyReads--;
    }
  });

  handle(socket, "topology:get", EmptySchema, () => hub.topologyFor(socket.id));

  // No answer: an acknowledgement only frees the client's window (lib/hub, flow control).
  handle(socket, "batch:ack", BatchAckSchema, (req) => hub.acked(socket.id, req.n));

  // No answer either: which panes the page shows off screen, so the hub sends those less often.
  // And which it shows in its focused view, so tmux reads those at the frame pace while they stream.
  handle(socket, "view:set", ViewSetSchema, (req) => {
    hub.setFar(socket.id, req.far, req.frameMs);
    if (req.focus) hub.setFocus(socket.id, req.focus);
  });
}
