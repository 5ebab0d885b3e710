import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../config.ts";
import type { Documents } from "../dashboard/documents.ts";
import type { PaneTracker } from "../panes/tracker.ts";
import type { TmuxRuntime } from "../tmux/runtime.ts";
import { toWireError } from "../errors.ts";
import { execStats } from "../tmux/exec.ts";

export interface ApiDeps {
  config: Config;
  tracker: PaneTracker;
  runtime: TmuxRuntime;
  documents: Documents;
  version: string;
  startedAt: number;
  clientCount: () => number;
}

/**
 * The JSON routes, served by panecast's own server before Next.js sees the request, so they share
 * the one tracker (Next's route handlers would run in a separately bundled copy of lib/).
 * Returns false for anything that is not an API route.
 */
export async function handleApi(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<boolean> {
  const base = deps.config.server.base_path;
  const url = new URL(req.url ?? "/", "http://localhost");
  if (!url.pathname.startsWith(`${base}/api/`)) return false;
  const route = url.pathname.slice(base.length);
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(res, 405, { error: { code: "BAD_REQUEST", message: "method not allowed" } }, { allow: "GET, HEAD" });
    return true;
  }
  try {
    switch (route) {
      case "/api/healthz":
        send(res, 200, await health(deps));
        return true;
      case "/api/sessions":
        send(res, 200, deps.tracker.topology);
        return true;
      case "/api/docs":
        send(res, 200, { docs: deps.documents.list() });
        return true;
      default:
        if (route.startsWith("/api/docs/")) {
          const name = safeDecode(route.slice("/api/docs/".length));
          const json = name === null ? null : await deps.documents.payloadJson(name);
          if (json !== null) sendRaw(res, 200, json);
          else send(res, 404, { error: { code: "DOC_NOT_FOUND", message: "no such document" } });
          return true;
        }
        send(res, 404, { error: { code: "BAD_REQUEST", message: "no such route" } });
        return true;
    }
  } catch (err) {
    send(res, 500, { error: toWireError(err) });
    return true;
  }
}

async function health(deps: ApiDeps): Promise<Record<string, unknown>> {
  let tmux: { reachable: boolean; version: string | null; error?: string };
  try {
    const v = (await deps.runtime.read(["display-message", "-p", "#{version}"])).trim();
    tmux = { reachable: true, version: v };
  } catch (err) {
    tmux = { reachable: false, version: null, error: toWireError(err).code };
  }
  return {
    status: "ok",
    version: deps.version,
    uptimeSec: Math.round((Date.now() - deps.startedAt) / 1000),
    watchMode: deps.config.watch.mode,
    tmux: { ...tmux, commands: deps.runtime.stats.commands, processesSpawned: execStats.spawned },
    clients: deps.clientCount(),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, status, JSON.stringify(body), headers);
}

function sendRaw(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(text);
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
