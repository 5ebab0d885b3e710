import { PanecastError } from "../errors.ts";
import type { RateLimiter } from "../auth/rate-limit.ts";
import { PaneNotFound } from "../tmux/errors.ts";
import type { RealtimeDeps } from "./deps.ts";
import { PaneSendSchema } from "../protocol/messages.ts";
import { handle, requireRole } from "./handle.ts";
import type { PanecastSocket } from "./types.ts";


/**
 * `pane:send` (operator): type to an agent. The pane must be one this token may see (else
 * PANE_NOT_FOUND, so a limited token learns nothing of other panes); every send is audited.
 * Text with a line break needs `multiline: true`: tmux brackets a paste only for a program that
 * asked for bracketed paste, so elsewhere (a plain shell, most REPLs) each line runs as it arrives,
 * Enter or not; the audit says so.
 */
export function registerSendHandlers(socket: PanecastSocket, deps: RealtimeDeps, sends: RateLimiter): void {
  const perMinute = deps.config.limits.sends_per_minute;
  handle(socket, "pane:send", PaneSendSchema, async (req) => {
    const p = requireRole(socket, "operator");
    if (!deps.hub.canSee(socket.id, req.pane)) throw new PaneNotFound(req.pane);
    if (!sends.take(`t:${p.tokenId}`)) throw new PanecastError("RATE_LIMITED", `too many sends (limit ${perMinute} a minute)`);
    const text = req.text ?? "";
    const lines = /[\r\n]/.test(text);
    if (lines && req.multiline !== true) {
      throw new PanecastError("MULTILINE_NOT_CONFIRMED", "the text has line breaks, which may run each line without Enter: send it with multiline: true if that is meant");
    }
    const mayRun = lines ? "multi-line: its lines may have run as they arrived, without Enter" : undefined;
    try {
      const result = await deps.sender({ pane: req.pane, ...(req.text ? { text: req.text } : {}), ...(req.keys ? { keys: req.keys } : {}), ...(req.enter ? { enter: true } : {}) }, { token: p.name, role: p.role });
      deps.auth.audit.write({
        event: "send",
        token: p.name,
        role: p.role,
        remote: socket.data.ip,
        target: req.pane,
        bytes: Buffer.byteLength(text),
        content: text,
        outcome: result.verified ? "delivered" : "not-verified",
        keys: (req.keys ?? []).slice(0, result.keysSent),
        enter: result.enterSent,
        detail: mayRun,
      });
      return result;
    } catch (err) {
      // How far a failed send got is not known: the record says which keys were asked for.
      deps.auth.audit.write({ event: "send", token: p.name, role: p.role, remote: socket.data.ip, target: req.pane, bytes: Buffer.byteLength(text), outcome: "failed", detail: [req.keys?.length ? `asked keys=${req.keys.join(",")}` : "", mayRun ?? ""].filter(Boolean).join("; ") || undefined });
      throw err;
    }
  });
}
