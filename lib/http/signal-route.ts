import type { IncomingMessage, ServerResponse } from "node:http";
import type { Auth } from "../auth/auth.ts";
import { sessionVisible } from "../auth/principal.ts";
import { RateLimiter } from "../auth/rate-limit.ts";
import { errorReason, resetTime } from "../agents/error-reason.ts";
import { AgentSignalSchema, fromDaemon, stateOfSignal } from "../agents/hook-signal.ts";
import { SessionPanes } from "../agents/session-panes.ts";
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
  const sessions = new SessionPanes();
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
    const envPane = own !== null && own === signal.socket ? await deps.view.paneNow(deps.view.idOf(signal.pane)) : undefined;
    // Another session's pane is answered as a missing one: a limited token learns nothing of it.
    if (!envPane || !sessionVisible(principal, envPane.sessionName)) {
      const why = own === null ? "the tmux server's socket path could not be read" : own !== signal.socket ? `socket path ${JSON.stringify(signal.socket)} is not ours (${own})` : !envPane ? `no pane ${signal.pane} on our tmux server` : `pane ${signal.pane} is in session ${envPane.sessionName}, outside token ${principal.name}'s limit`;
      log.info({ token: principal.name, pane: signal.pane }, `agent signal refused: ${why}`);
      return send(res, 404, { error: { code: "PANE_NOT_FOUND", message: "no such pane on the tmux server panecast watches" } });
    }
    const trusted = !fromDaemon(signal);
    // Codex's own title-generation turn is not the person's turn: its completion says nothing.
    const at = signal.internal ? null : sessions.resolve(signal.sessionId, signal.pane, trusted, signal.agent);
    const pane = at === null ? undefined : deps.view.pane(deps.view.idOf(at));
    const state = stateOfSignal(signal);
    if (at === null || !pane || !sessionVisible(principal, pane.sessionName) || state === null) return send(res, 200, { data: { accepted: false, state: null } });
    if (trusted && signal.sessionId) sessions.learn(signal.sessionId, at, signal.agent);
    const text = signal.detail ? signal.detail.replace(/\s+/g, " ").trim().slice(0, 200) || null : null;
    const failure = state === "error" ? (signal.error ?? signal.detail ?? "") : "";
    const reason = state === "error" ? errorReason(failure) : undefined;
    const resetAt = reason === "rate-limit" ? resetTime(failure) : undefined;
    const line = state === "error" && signal.error ? signal.error.replace(/\s+/g, " ").trim().slice(0, 200) : text;
    // The hook names the pane as its tmux server does; in a cluster the monitor knows it as `<node>/%3`.
    deps.awareness.monitor.signal(deps.view.idOf(at), state, line, { reason, resetAt, agent: signal.agent });
    send(res, 200, { data: { accepted: true, state } });
  };
}
