import { z } from "zod";
import { sessionVisible } from "../auth/principal.ts";
import { matches } from "../events/event-log.ts";
import type { FleetEventType } from "../protocol.ts";
import type { RealtimeDeps } from "./deps.ts";
import { handle } from "./handle.ts";
import type { PanecastSocket } from "./io.ts";
import { EmptySchema } from "./messages.ts";

export const EVENT_TYPES = [
  "session.created",
  "session.removed",
  "session.renamed",
  "window.added",
  "window.closed",
  "pane.added",
  "pane.removed",
  "agent.status",
  "pane.alert",
] as const satisfies readonly FleetEventType[];

const EventsSubscribeSchema = z
  .object({
    types: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).optional(),
    sessions: z.array(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/, "session names")).max(256).optional(),
    windows: z.array(z.string().regex(/^@\d{1,7}$/, "window ids such as @2")).max(256).optional(),
    since: z.string().regex(/^[0-9a-f]{1,32}:\d{1,15}$/, "an event id").optional(),
  })
  .strict();

/**
 * `events:subscribe`: the event stream with a filter, replaying what came after `since`;
 * `git:refresh`: read git state now.
 */
export function registerAgentHandlers(socket: PanecastSocket, deps: RealtimeDeps): void {
  const { awareness } = deps;
  const principal = socket.data.principal;
  handle(socket, "events:subscribe", EventsSubscribeSchema, (req) => {
    const filter = { types: req.types, sessions: req.sessions, windows: req.windows };
    socket.data.events = filter;
    const { events, truncated } = awareness.events.since(req.since);
    return { events: events.filter((e) => matches(e, filter) && (e.session === null || sessionVisible(principal, e.session))), truncated };
  });
  handle(socket, "git:refresh", EmptySchema, async () => ({ repositories: await awareness.git.refresh() }));
}
