import { z } from "zod";
import { PanecastError } from "../errors.ts";
import type { RateLimiter } from "../auth/rate-limit.ts";
import { ALLOWED_KEYS } from "../panes/sender.ts";
import { PaneNotFound } from "../tmux/errors.ts";
import type { PaneSendRequest } from "../protocol.ts";
import type { RealtimeDeps } from "./deps.ts";
import { handle, requireRole } from "./handle.ts";
import type { PanecastSocket } from "./io.ts";

/** Most characters one send may type. */
export const MAX_SEND_CHARS = 16_384;

const PaneSendSchema = z
  .object({
    pane: z.string().regex(/^%\d{1,7}$/, "a pane id such as %3"),
    text: z.string().max(MAX_SEND_CHARS, `at most ${MAX_SEND_CHARS} characters`).optional(),
    keys: z.array(z.enum(ALLOWED_KEYS)).max(32).optional(),
    enter: z.boolean().optional(),
  })
  .strict()
  .refine((r) => (r.text ?? "") !== "" || (r.keys?.length ?? 0) > 0 || r.enter === true, "send text, keys or enter") satisfies z.ZodType<PaneSendRequest>;

/**
 * `pane:send` (operator): type to an agent. The pane must be one this token may see (else
 * PANE_NOT_FOUND, so a limited token learns nothing of other panes); every send is audited.
 */
export function registerSendHandlers(socket: PanecastSocket, deps: RealtimeDeps, sends: RateLimiter): void {
  const perMinute = deps.config.limits.sends_per_minute;
  handle(socket, "pane:send", PaneSendSchema, async (req) => {
    const p = requireRole(socket, "operator");
    if (!deps.hub.canSee(socket.id, req.pane)) throw new PaneNotFound(req.pane);
    if (!sends.take(`t:${p.tokenId}`)) throw new PanecastError("RATE_LIMITED", `too many sends (limit ${perMinute} a minute)`);
    const text = req.text ?? "";
    try {
      const result = await deps.sender({ pane: req.pane, ...(req.text ? { text: req.text } : {}), ...(req.keys ? { keys: req.keys } : {}), ...(req.enter ? { enter: true } : {}) });
      deps.auth.audit.write({
        event: "send",
        token: p.name,
        role: p.role,
        remote: socket.data.ip,
        target: req.pane,
        bytes: Buffer.byteLength(text),
        content: text,
        outcome: result.verified ? "delivered" : "not-verified",
        detail: [req.keys?.length ? `keys=${req.keys.join(",")}` : "", result.enterSent ? "enter" : ""].filter(Boolean).join(" ") || undefined,
      });
      return result;
    } catch (err) {
      deps.auth.audit.write({ event: "send", token: p.name, role: p.role, remote: socket.data.ip, target: req.pane, bytes: Buffer.byteLength(text), outcome: "failed" });
      throw err;
    }
  });
}
