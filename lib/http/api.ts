import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../config.ts";
import type { Awareness } from "../agents/awareness.ts";
import type { Documents } from "../dashboard/documents.ts";
import type { NodeView } from "../panes/node-view.ts";
import type { TmuxRuntime } from "../tmux/runtime.ts";
import { sessionVisible, type Principal } from "../auth/principal.ts";
import { toWireError } from "../errors.ts";
import type { Health } from "./health.ts";
import { send, sendRaw } from "./respond.ts";
import type { NodeInfo, SessionsPayload } from "../protocol.ts";
import type { AuditLog } from "../auth/audit.ts";
import type { FlightRecorder } from "../recorder/flight-recorder.ts";
import { handleRecordingRoute } from "./recording-routes.ts";

export interface ApiDeps {
  config: Config;
  /** This node's panes, with the ids clients use (lib/panes/node-view). */
  view: NodeView;
  runtime: TmuxRuntime;
  documents: Documents;
  awareness: Awareness;
  version: string;
  startedAt: number;
  clientCount: () => number;
  /** Cluster mode: the nodes and whether they are online (null: not a cluster). */
  nodes?: (() => NodeInfo[]) | null;
  /** The fleet as `GET /api/sessions` shows it (in a cluster: every node's); default this node's awareness. */
  sessions?: ((visible: ((session: string) => boolean) | null) => SessionsPayload) | null;
  health: Health;
  /** The flight recorder (null: off). */
  recorder: FlightRecorder | null;
  audit: AuditLog;
}

/** Routes anyone may call; they tell a caller without a token no more than `{status}`. */
const PUBLIC_ROUTES = new Set(["/api/healthz", "/api/readyz"]);

/**
 * The JSON routes, served by panecast's own server before Next.js sees the request, so they share
 * the one tracker (Next's route handlers would run in a separately bundled copy of lib/). The caller
 * has authenticated; `principal` limits what it sees. /api/healthz and /api/readyz are public: without
 * a token they answer only `{status}`, and neither ever runs tmux.
 */
export async function handleApi(route: string, req: IncomingMessage, res: ServerResponse, deps: ApiDeps, principal: Principal | null): Promise<void> {
  if (!PUBLIC_ROUTES.has(route) && !principal) {
    send(res, 401, { error: { code: "UNAUTHORIZED", message: "a valid token is required (Authorization: Bearer, or log in)" } });
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(res, 405, { error: { code: "BAD_REQUEST", message: "method not allowed" } }, { allow: "GET, HEAD" });
    return;
  }
  try {
    switch (route) {
      case "/api/healthz":
        send(res, 200, principal ? deps.health.details() : { status: "ok" });
        return;
      case "/api/readyz":
        // 503 while tmux is unreachable: a load balancer or supervisor sees there is nothing to show.
        send(res, deps.health.ready ? 200 : 503, { status: deps.health.readiness });
        return;
      case "/api/sessions": {
        const p = principal!;
        const visible = p.sessions === null ? null : (name: string) => sessionVisible(p, name);
        send(res, 200, deps.sessions ? deps.sessions(visible) : deps.awareness.sessions(visible));
        return;
      }
      case "/api/docs":
        send(res, 200, { docs: deps.documents.list() });
        return;
      case "/api/nodes":
        send(res, 200, { nodes: deps.nodes ? deps.nodes() : [] });
        return;
      default:
        if (route === "/api/search" || route.startsWith("/api/recordings/")) {
          const access = { recorder: deps.recorder, node: deps.view.node, pageLimit: deps.config.recorder.page_limit, searchLimit: deps.config.recorder.search_limit };
          await handleRecordingRoute(route, new URL(req.url ?? "/", "http://localhost"), res, access, deps.audit, principal!);
          return;
        }
        if (route.startsWith("/api/docs/")) {
          const name = safeDecode(route.slice("/api/docs/".length));
          const json = name === null ? null : await deps.documents.payloadJson(name);
          if (json !== null) sendRaw(res, 200, json);
          else send(res, 404, { error: { code: "DOC_NOT_FOUND", message: "no such document" } });
          return;
        }
        send(res, 404, { error: { code: "BAD_REQUEST", message: "no such route" } });
        return;
    }
  } catch (err) {
    send(res, 500, { error: toWireError(err) });
  }
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
