import type { z } from "zod";
import { PanecastError, toWireError } from "../errors.ts";
import { log, requestId } from "../log.ts";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../protocol.ts";
import { answered, beginAnswer } from "./flood.ts";
import { describeIssue } from "../protocol/messages.ts";

import type { Principal } from "../auth/principal.ts";
import { hasRole } from "../auth/principal.ts";
import type { Role } from "../protocol.ts";

import type { PanecastSocket } from "./types.ts";

/**
 * Refuses with FORBIDDEN unless the socket's token has at least this role, and with UNAUTHORIZED once
 * the token has expired (its socket is closed then too; this holds whatever the timers do).
 */
export function requireRole(socket: PanecastSocket, role: Role): Principal {
  const p = socket.data.principal;
  if (p.expiresAt !== null && p.expiresAt <= Date.now()) throw new PanecastError("UNAUTHORIZED", "token expired");
  if (!hasRole(p, role)) throw new PanecastError("FORBIDDEN", `this needs the ${role} role (token ${p.name} is ${p.role})`);
  return p;
}

/**
 * Registers one request handler: validate with the schema, run, answer the ack with `{ data }` or
 * `{ error: { code, message, event } }`. Without an ack callback an error goes out as `server:error`.
 * Only PanecastErrors show their message; anything else is logged and answered as INTERNAL.
 *
 * Whether the answer may be queued is decided before the request runs, never after: a request that
 * ran changed something (a subscribe records the frames it answers with as sent, a send typed into a
 * pane), so its answer is always delivered. One the client has no room for is not run at all, and
 * counts towards its flood limit.
 */
export function handle<E extends keyof ClientToServerEvents, S extends z.ZodType>(
  socket: PanecastSocket,
  event: E,
  schema: S,
  fn: (req: z.infer<S>) => unknown,
): void {
  socket.on(event, ((...args: unknown[]) => {
    // emit(event, ack) with no payload hands the ack over as the first argument.
    const ack = typeof args[args.length - 1] === "function" ? args[args.length - 1] : undefined;
    const raw = args.length === 0 || (args.length === 1 && ack !== undefined) ? {} : args[0];
    // A client that does not take what it is sent gets nothing more queued (see flood.ts); the
    // answer's place is held from here, so a burst read at once runs no more than there is room for.
    if (!beginAnswer(socket)) return;
    const reply = (r: Ack<unknown>): void => {
      answered(socket);
      if (typeof ack === "function") (ack as (r: Ack<unknown>) => void)(r);
      else if ("error" in r) socket.emit("server:error", { ...r.error, event });
    };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      reply({ error: { code: "BAD_REQUEST", message: describeIssue(parsed.error), event } });
      return;
    }
    Promise.resolve()
      .then(() => fn(parsed.data))
      .then(
        (data) => reply({ data }),
        (err: unknown) => {
          if (err instanceof PanecastError) return reply({ error: { ...toWireError(err), event } });
          const id = requestId();
          log.error({ err, requestId: id, event }, "socket request failed");
          reply({ error: { ...toWireError(err), event, requestId: id } });
        },
      );
  }) as never);
}
