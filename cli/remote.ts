import { str, type Values } from "./args.ts";
import { PanecastClient, PanecastError, type ClientOptions } from "../lib/client/index.ts";

export const DEFAULT_URL = "http://127.0.0.1:3000";

/**
 * Connects a client to the server named by --url / PANECAST_URL with the token from --token /
 * PANECAST_TOKEN. On a refused token or an unreachable server: one clear line and null.
 */
export async function connectClient(values: Values, extra: Omit<ClientOptions, "url" | "token"> = {}): Promise<PanecastClient | null> {
  const url = str(values, "url") ?? process.env.PANECAST_URL ?? DEFAULT_URL;
  const token = str(values, "token") ?? process.env.PANECAST_TOKEN;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    console.error(`panecast: --url ${url}: expected a URL such as ${DEFAULT_URL}`);
    return null;
  }
  const client = new PanecastClient({ url: parsed.toString(), ...(token ? { token } : {}), ...extra, backoff: { minMs: 500, maxMs: 5000 } });
  try {
    await client.connect();
    return client;
  } catch (err) {
    if (err instanceof PanecastError && err.code === "UNAUTHORIZED") {
      console.error(`panecast: ${url} refused ${token ? "the token" : "the connection: a token is required (--token or PANECAST_TOKEN)"}`);
    } else if (err instanceof PanecastError) {
      console.error(`panecast: cannot reach panecast at ${url} (${await why(parsed)})`);
    } else throw err;
    return null;
  }
}

/** The reason a plain request gives (refused, no such host, TLS…), clearer than a socket error. */
async function why(url: URL): Promise<string> {
  try {
    const res = await fetch(new URL(`${url.pathname.replace(/\/$/, "")}/api/healthz`, url), { signal: AbortSignal.timeout(5000) });
    return res.ok ? "it answers HTTP but not Socket.IO: is this panecast, and is the path right?" : `HTTP ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === "ECONNREFUSED") return "connection refused: is panecast running?";
    return cause?.code ?? cause?.message ?? (err as Error).message;
  }
}

/**
 * A GET of panecast's HTTP API at --url / PANECAST_URL with the token; null (after one clear line)
 * when the server cannot be reached or answers with an error.
 */
export async function apiGet(values: Values, route: string, query: Record<string, string | undefined>): Promise<Response | null> {
  const url = str(values, "url") ?? process.env.PANECAST_URL ?? DEFAULT_URL;
  const token = str(values, "token") ?? process.env.PANECAST_TOKEN;
  let target: URL;
  try {
    const base = new URL(url);
    target = new URL(`${base.pathname.replace(/\/$/, "")}${route}`, base);
  } catch {
    console.error(`panecast: --url ${url}: expected a URL such as ${DEFAULT_URL}`);
    return null;
  }
  for (const [k, v] of Object.entries(query)) if (v !== undefined) target.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(target, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(60_000) });
  } catch {
    console.error(`panecast: cannot reach panecast at ${url} (${await why(new URL(url))})`);
    return null;
  }
  if (res.ok) return res;
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  console.error(`panecast: ${body?.error?.code ?? `HTTP ${res.status}`}: ${body?.error?.message ?? res.statusText}`);
  return null;
}
