import { PanecastError } from "../errors.ts";
import type { RateLimiter } from "../auth/rate-limit.ts";
import { PaneNotFound } from "../tmux/errors.ts";
import type { RealtimeDeps } from "./deps.ts";
import { PaneAnswerSchema } from "../protocol/messages.ts";
import { handle, requireRole } from "./handle.ts";
import type { PanecastSocket } from "./types.ts";

/**
 * `pane:answer` (operator): a one-tap answer to a needs-you item. Same rules as `pane:send`: a pane
 * this token may see, the same rate limit, every answer audited as a send (with its outcome).
 */
export function registerAnswerHandlers(socket: PanecastSocket, deps: RealtimeDeps, sends: RateLimiter): void {
  const perMinute = deps.config.limits.sends_per_minute;
  handle(socket, "pane:answer", PaneAnswerSchema, async (req) => {
    const p = requireRole(socket, "operator");
    if (!deps.hub.canSee(socket.id, req.pane)) throw new PaneNotFound(req.pane);
    if (!sends.take(`t:${p.tokenId}`)) throw new PanecastError("RATE_LIMITED", `too many sends (limit ${perMinute} a minute)`);
    const record = { event: "send" as const, token: p.name, role: p.role, remote: socket.data.ip, target: req.pane, bytes: 0 };
    try {
      const result = await deps.answer(req, { token: p.name, role: p.role });
      deps.auth.audit.write({ ...record, outcome: result.outcome, keys: result.keys, detail: `answer: ${result.label.slice(0, 200)}` });
      return result;
    } catch (err) {
      const code = err instanceof PanecastError ? err.code : "INTERNAL";
      deps.auth.audit.write({ ...record, outcome: code === "STALE_PROMPT" ? "stale" : "failed", detail: `answer: choice ${req.choice} (${code})` });
      throw err;
    }
  });
}
