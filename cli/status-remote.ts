import type { SessionsPayload, Topology } from "../lib/protocol.ts";
import { DEFAULT_URL } from "./remote.ts";

/**
 * The fleet as a running server sees it (`GET /api/sessions`; in a cluster every node's panes, ids
 * `<node>/%3`). On a bad URL, a refused token or an unreachable server: one clear line and null.
 */
export async function fetchSessions(url: string, token: string | undefined): Promise<Topology | null> {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    console.error(`panecast: --url ${url}: expected a URL such as ${DEFAULT_URL}`);
    return null;
  }
  const at = new URL(`${base.pathname.replace(/\/$/, "")}/api/sessions`, base);
  let res: Response;
  try {
    res = await fetch(at, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    console.error(`panecast: cannot reach panecast at ${url} (${err instanceof Error ? err.message : String(err)})`);
    return null;
  }
  if (res.status === 401 || res.status === 403) {
    console.error(`panecast: ${url} refused ${token ? "the token" : "the request: a token is required (--token or PANECAST_TOKEN)"}`);
    return null;
  }
  if (!res.ok) {
    console.error(`panecast: ${url} answered HTTP ${res.status}`);
    return null;
  }
  const body = (await res.json()) as SessionsPayload;
  return { sessions: body.sessions };
}
