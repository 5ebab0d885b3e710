import type { Socket } from "socket.io";
import type { z } from "zod";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../protocol.ts";
import { PanecastError, toWireError } from "../errors.ts";
import { PaneNotFound } from "../tmux/errors.ts";
import type { RealtimeDeps } from "./deps.ts";
import { describeIssue, EmptySchema, HistorySchema, ResyncSchema, SubscribeSchema } from "./messages.ts";

type PanecastSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * Thin handlers: validate, call the domain, answer the ack. A bad message gets an error with a code
 * and changes nothing.
 */
export function registerPaneHandlers(socket: PanecastSocket, deps: RealtimeDeps): void {
  const { hub, tracker, config } = deps;

  handle(socket, "subscribe", SubscribeSchema, (req) => hub.subscribe(socket.id, req));

  handle(socket, "pane:resync", ResyncSchema, (req) => {
    const u = hub.resync(socket.id, req.pane);
    if (!u) throw new PaneNotFound(req.pane);
    return u;
  });

  handle(socket, "pane:history", HistorySchema, async (req) => {
    if (!hub.canSee(socket.id, req.pane)) throw new PaneNotFound(req.pane);
    const n = Math.min(req.lines ?? config.capture.history_lines, config.capture.history_lines);
    if (n === 0) return { pane: req.pane, lines: [] };
    return { pane: req.pane, lines: await tracker.history(req.pane, n) };
  });

  handle(socket, "topology:get", EmptySchema, () => hub.topologyFor(socket.id));
}

function handle<E extends keyof ClientToServerEvents, S extends z.ZodType>(
  socket: PanecastSocket,
  event: E,
  schema: S,
  fn: (req: z.infer<S>) => unknown,
): void {
  socket.on(event, ((raw: unknown, ack: unknown) => {
    const reply = (r: Ack<unknown>): void => {
      if (typeof ack === "function") (ack as (r: Ack<unknown>) => void)(r);
      else if ("error" in r) socket.emit("server:error", { ...r.error, event });
    };
    const parsed = schema.safeParse(raw ?? {});
    if (!parsed.success) {
      reply({ error: { code: "BAD_REQUEST", message: describeIssue(parsed.error), event } });
      return;
    }
    Promise.resolve()
      .then(() => fn(parsed.data))
      .then(
        (data) => reply({ data }),
        (err: unknown) => {
          if (!(err instanceof PanecastError)) console.error(`[panecast] ${event} failed:`, err);
          reply({ error: { ...toWireError(err), event } });
        },
      );
  }) as never);
}
