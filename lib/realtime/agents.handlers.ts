import type { RealtimeDeps } from "./deps.ts";
import { EmptySchema, EventsSubscribeSchema } from "../protocol/messages.ts";
import { handle } from "./handle.ts";
import type { PanecastSocket } from "./types.ts";


/**
 * `events:subscribe`: the event stream with a filter, replaying what came after `since`;
 * `git:refresh`: read git state now.
 */
export function registerAgentHandlers(socket: PanecastSocket, deps: RealtimeDeps): void {
  const { awareness } = deps;
  handle(socket, "events:subscribe", EventsSubscribeSchema, async (req) => {
    const filter = { types: req.types, sessions: req.sessions, windows: req.windows };
    const { events, truncated } = await deps.events.since(req.since);
    // Events after the last one handed over here follow in the client's batches; the hub decides
    // which of them, and of these, the client may see.
    const replay = deps.hub.subscribeEvents(socket.id, filter, events.at(-1)?.id ?? (truncated ? null : (req.since ?? null)), events);
    return { events: replay, truncated };
  });
  handle(socket, "git:refresh", EmptySchema, async () => ({ repositories: await awareness.git.refresh() }));
}
