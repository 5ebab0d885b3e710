import type { IncomingMessage, ServerResponse } from "node:http";
import type { Auth } from "../auth/auth.ts";
import { handleApi, type ApiDeps } from "./api.ts";
import { LoginLinks } from "../auth/login-links.ts";
import { handleAuthRoute } from "./auth-routes.ts";
import { handleLoginLinkRoute } from "./login-link-routes.ts";
import { handlePushRoute, type PushRouteDeps } from "./push-routes.ts";
import { createSignalRoute } from "./signal-route.ts";
import { clientInfo, hostAllowed, originAllowed, trustList } from "./client-info.ts";
import type { HostPolicy } from "./host-policy.ts";
import { send } from "./respond.ts";
import { applySecurityHeaders } from "./security-headers.ts";
import { PAGE_KEY_HEADER } from "../protocol.ts";

/** API routes a cookie may use without the page key: they change nothing another port could want. */
// The one-time sign-in link is opened by a navigation (a scanned QR code), which cannot carry the key;
// the link's own secret is its credential.
const KEYLESS: ReadonlySet<string> = new Set(["/api/login", "/api/logout", "/api/me", "/api/healthz", "/api/readyz", "/api/login-link"]);

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Pages anyone may load: the login page and the static assets every page needs. */
const PUBLIC_PAGE = /^\/(login(\/|$|\?)|_next\/static\/|icon\.svg|favicon\.ico|manifest\.webmanifest$|sw\.js$|icons\/)/;

/**
 * Every HTTP request: security headers; the Host allow-list; the Origin check for state-changing requests; the JSON API;
 * then pages (the exported UI, lib/web/pages.ts), which need a session unless they are public. Without one, a page request is
 * sent to /login.
 */
export function createRequestHandler(
  deps: ApiDeps & {
    auth: Auth;
    hosts: HostPolicy;
    push?: PushRouteDeps | null;
    pages?: RequestHandler;
    metrics?: () => Promise<{ type: string; body: string } | null>;
    /** POST /api/answer: a notification's answer button (lib/http/answer-route). */
    answerRoute?: (req: IncomingMessage, res: ServerResponse, ip: string) => Promise<void>;
    /** One-time phone sign-in links (in Redis when clustered); this process's own when absent. */
    links?: LoginLinks;
  },
): RequestHandler {
  const { config, auth, hosts } = deps;
  const signalRoute = createSignalRoute(deps);
  const base = config.server.base_path;
  const trust = trustList(config.server.trust_proxy);
  const links = deps.links ?? new LoginLinks();
  return async (req, res) => {
    const info = clientInfo(req, trust);
    applySecurityHeaders(req, res, info.secure, config.docs.allow_remote_images);
    // guardHosts already refused these; checked again so the handler is safe on any server.
    if (!hostAllowed(req, info, hosts)) {
      send(res, 421, { error: { code: "HOST_NOT_ALLOWED", message: "this Host is not served here (server.allowed_hosts, server.public_url)" } });
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const inBase = base === "" || url.pathname === base || url.pathname.startsWith(`${base}/`);
    const route = inBase ? url.pathname.slice(base.length) || "/" : null;
    if (route === null) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found");
      return;
    }
    const unsafe = req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS";
    if (unsafe && !originAllowed(req, info, hosts, config.server.allowed_origins)) {
      send(res, 403, { error: { code: "ORIGIN_REFUSED", message: "cross-origin request refused" } });
      return;
    }
    // Next's image optimizer (under `npm run dev`) fetches any local URL itself, without the caller's
    // credentials, and so could serve protected pages; panecast uses no optimized images (images.unoptimized).
    if (route === "/_next/image" || route.startsWith("/_next/image/")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found");
      return;
    }
    // An agent's hook: its token is good for this route only (identify does not know it).
    if (route === "/api/agent-signals") return signalRoute(req, res, info.ip);
    // A notification's answer button: the capability it carries is the credential, not a cookie (the
    // service worker's request carries the cookie, never the page key).
    if (route === "/api/answer" && deps.answerRoute) return deps.answerRoute(req, res, info.ip);
    // In a cluster a login made on another node an instant ago may not be known here yet: read it first.
    await auth.prefetch(req.headers);
    const who = auth.identify(req.headers, info.ip, undefined, info.secure);
    const principal = who === "limited" ? null : who;
    if (who === "limited" && (route.startsWith("/api/") || route === "/metrics") && route !== "/api/login" && route !== "/api/healthz") {
      return send(res, 429, { error: { code: "RATE_LIMITED", message: "too many bad credentials from this address; try again in a minute" } }, { "retry-after": "60" });
    }
    // An API request made with a session cookie must show the session's page key too: the cookie goes
    // to every service on this host whatever its port (sign-in, sign-out and "who am I" need none).
    if (principal && route.startsWith("/api/") && !KEYLESS.has(route) && !auth.pageKeyOk(principal, req.headers[PAGE_KEY_HEADER])) {
      return send(res, 403, { error: { code: "FORBIDDEN", message: "this page's session key is missing or wrong (header x-panecast-page); sign in again" } });
    }
    const renewed = principal ? auth.renewal(principal, info.secure) : null;
    if (renewed) res.setHeader("Set-Cookie", renewed);
    if (route.startsWith("/api/push/")) return handlePushRoute(route, req, res, deps.push ?? null, principal);
    if (route === "/api/login" || route === "/api/logout" || route === "/api/me") {
      return handleAuthRoute(route, req, res, { auth, info, basePath: base, principal });
    }
    if (route === "/api/login-links" || route === "/api/login-link") return handleLoginLinkRoute(route, req, res, { auth, links, config, info, principal });
    if (route.startsWith("/api/")) return handleApi(route, req, res, deps, principal);
    if (route === "/metrics") {
      if (!principal) return send(res, 401, { error: { code: "UNAUTHORIZED", message: "a valid token is required (Authorization: Bearer)" } });
      // Metrics are totals over the whole fleet (panes, clients, sends): not for a token that may see some sessions only.
      if (principal.sessions !== null) return send(res, 403, { error: { code: "FORBIDDEN", message: "metrics cover every session: a token limited to some sessions cannot read them" } });
      const m = await deps.metrics?.();
      if (!m) return send(res, 404, { error: { code: "BAD_REQUEST", message: "metrics are off (metrics.enabled)" } });
      res.writeHead(200, { "content-type": m.type, "cache-control": "no-store" });
      res.end(m.body);
      return;
    }
    if (!principal && !PUBLIC_PAGE.test(route)) {
      const next = encodeURIComponent(route + url.search);
      res.writeHead(303, { location: `${base}/login?next=${next}`, "cache-control": "no-store" });
      res.end();
      return;
    }
    if (deps.pages) return deps.pages(req, res);
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("not found");
  };
}
