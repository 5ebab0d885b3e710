import { KeyAudit } from "../auth/key-audit.ts";
import type { RateLimiter } from "../auth/rate-limit.ts";
import { PanecastError } from "../errors.ts";
import { PaneNotFound } from "../tmux/errors.ts";
import type { RealtimeDeps } from "./deps.ts";
import { handle, requireRole } from "./handle.ts";
import { PaneKeysSchema } from "../protocol/messages.ts";
import type { PanecastSocket } from "./types.ts";

/**
 * `pane:keys` (operator): keyboard mode's keys, text and pastes to a pane, validated against the key
 * grammar (messages.ts). The pane must be one this token may see (else PANE_NOT_FOUND); each step
 * costs one from the token's key budget (`limits.keys_per_minute`, a batch is refused whole); typing
 * is audited a burst per line (KeyAudit), written when the socket goes at the latest.
 */
export function registerKeyHandlers(socket: PanecastSocket, deps: RealtimeDeps, keys: RateLimiter): void {
  const p = socket.data.principal;
  const audit = new KeyAudit(deps.auth.audit, { token: p.name, role: p.role, remote: socket.data.ip });
  socket.on("disconnect", () => audit.flush());
  handle(socket, "pane:keys", PaneKeysSchema, async (req) => {
    requireRole(socket, "operator");
    if (!deps.hub.canSee(socket.id, req.pane)) throw new PaneNotFound(req.pane);
    if (!keys.take(`t:${p.tokenId}`, req.input.length)) {
      throw new PanecastError("RATE_LIMITED", `too many keys (limit ${deps.config.limits.keys_per_minute} a minute)`);
    }
    try {
      const sent = await deps.keys(req.pane, req.input, { token: p.name, role: p.role });
      audit.record(req.pane, req.input, true);
      return { sent };
    } catch (err) {
      audit.record(req.pane, req.input, false);
      throw err;
    }
  });
}
