import type { IncomingMessage, ServerResponse } from "node:http";
import type { Auth } from "../auth/auth.ts";
import { sessionVisible } from "../auth/principal.ts";
import { RateLimiter } from "../auth/rate-limit.ts";
import { qualify } from "../cluster/ids.ts";
import { AgentSignalSchema, stateOfSignal } from "../agents/hook-signal.ts";
import { log } from "../log.ts";
import type { ApiDeps } from "./api.ts";
import { readBody, send } from "./respond.ts";

const MAX_BODY = 16 * 1024;

/**
 * POST /api/agent-signals: one hook event from `panecast hook <agent>`. Only an `agent` token (or an
 * admin) may post, for panes of its sessions on the tmux server this panecast watches. The answer
 * comes at once: the hook waits for it, and the agent waits for the hook.
 */
export function createSignalRoute(deps: ApiDeps & { auth: Auth }): (req: IncomingMessage, res: ServerResponse, ip: string) => Promise<void> {
  const limiter = new RateLimiter({ ratePerSecond: deps.config.limits.messages_per_second, burst: deps.config.limits.messages_burst });
  let ownSocket: Promise<string | null> | null = null;
  // The socket path of our tmux server, asked once it answers: a pane id means nothing on another server.
  const socketPath = (): Promise<string | null> => {
    // Only an answer is kept: a failed or empty read is asked again next time, never held.
    ownSocket ??= deps.runtime.read(["display-message", "-p", "#{socket_path}"]).then(
      (out) => {
        const p = out.trim() || null;
        if (p === null) ownSocket = null;
        return p;
      },
      () => {
        ownSocket = null;
        return null;
      },
    );
    return ownSocket;
  };

  return async (req, res, ip) => {
    if (req.method !== "POST") return send(res, 405, { error: { code: "BAD_REQUEST", message: "use POST" } }, { allow: "POST" });
    const principal = deps.auth.signalSender(req.headers, ip);
    if (principal === "limited") {
      return send(res, 429, { error: { code: "RATE_LIMITED", message: "too many bad credentials from this address; try again in a minute" } }, { "retry-after": "60" });
    }
    if (!principal) return send(res, 401, { error: { code: "UNAUTHORIZED", message: "an agent token is required (Authorization: Bearer)" } });
    if (!limiter.take(`t:${principal.tokenId}`)) return send(res, 429, { error: { code: "RATE_LIMITED", message: "too many signals; slow down" } });
    const body = await readBody(req, MAX_BODY);
    if (body === null) return send(res, 400, { error: { code: "BAD_REQUEST", message: `the body is larger than ${MAX_BODY} bytes` } });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return send(res, 400, { error: { code: "BAD_REQUEST", message: "the body is not JSON" } });
    }
    const parsed = AgentSignalSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return send(res, 400, { error: { code: "BAD_REQUEST", message: `${issue.path.join(".") || "body"}: ${issue.message}` } });
    }
    const signal = parsed.data;
    const own = await socketPath();
    // A pane the tracker has not seen yet (made a moment ago) is looked up again before it is refused.
    const pane = own !== null && own === signal.socket ? await deps.tracker.paneNow(signal.pane) : undefined;
    // Another session's pane is answered as a missing one: a limited token learns nothing of it.
    if (!pane || !sessionVisible(principal, pane.sessionName)) {
      const why = own === null ? "the tmux server's socket path could not be read" : own !== signal.socket ? `socket path ${JSON.stringify(signal.socket)} is not ours (${own})` : !pane ? `no pane ${signal.pane} on our tmux server` : `pane ${signal.pane} is in session ${pane.sessionName}, outside token ${principal.name}'s limit`;
      log.info({ token: principal.name, pane: signal.pane }, `agent signal refused: ${why}`);
      return send(res, 404, { error: { code: "PANE_NOT_FOUND", message: "no such pane on the tmux server panecast watches" } });
    }
    const state = stateOfSignal(signal);
    if (state === null) return send(res, 200, { data: { accepted: false, state: null } });
    const line = signal.detail ? signal.detail.replace(/\s+/g, " ").trim().slice(0, 200) || null : null;
    // The hook names the pane as its tmux server does; in a cluster the monitor knows it as `<node>/%3`.
    deps.awareness.monitor.signal(deps.node ? qualify(deps.node, signal.pane) : signal.pane, state, line);
    send(res, 200, { data: { accepted: true, state } });
  };
}
