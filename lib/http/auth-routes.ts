import type { IncomingMessage, ServerResponse } from "node:http";
import type { Auth } from "../auth/auth.ts";
import type { Principal } from "../auth/principal.ts";
import type { ClientInfo } from "./client-info.ts";
import { safeNext } from "../auth/next-path.ts";
import { readBody, send } from "./respond.ts";

/**
 * POST /api/login trades a token for an httpOnly, SameSite=Strict session cookie (Secure and
 * `__Host-` over TLS) and the session's page key (session-cookie.ts);
 * POST /api/logout ends that session on the server and clears the cookie; GET /api/me says who the
 * cookie or token is. Login works from a plain HTML form (no JavaScript: redirects) and from fetch
 * (JSON).
 */
export async function handleAuthRoute(
  route: string,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { auth: Auth; info: ClientInfo; basePath: string; principal: Principal | null },
): Promise<void> {
  const { auth, info, basePath } = ctx;
  if (route === "/api/me") {
    if (!ctx.principal) return send(res, 401, { error: { code: "UNAUTHORIZED", message: "not logged in" } });
    const { name, role, sessions } = ctx.principal;
    return send(res, 200, { name, role, sessions, authEnabled: auth.enabled });
  }
  if (req.method !== "POST") return send(res, 405, { error: { code: "BAD_REQUEST", message: "use POST" } }, { allow: "POST" });
  const form = String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  if (route === "/api/logout") {
    // Ends the session on the server too: a copy of the cookie stops working, its sockets close.
    res.setHeader("Set-Cookie", auth.logout(ctx.principal, info.ip, info.secure));
    if (form) return redirect(res, `${basePath}/login`);
    return send(res, 200, { data: { loggedOut: true } });
  }
  // Counted before the body is read and the token checked, so a parallel burst cannot outrun the limit.
  // Over the limit only a valid token goes on: the limit is on failures, and the address may be shared
  // or forged (X-Forwarded-For), so others' bad attempts must not lock a valid token out.
  const counted = auth.beginAttempt(info.ip);
  const limited = (): void => {
    if (form) return redirect(res, `${basePath}/login?error=rate`);
    return send(res, 429, { error: { code: "RATE_LIMITED", message: "too many failed logins; try again in a minute" } }, { "retry-after": "60" });
  };
  const body = await readBody(req, 4096);
  let token: unknown;
  let next = "/";
  if (body !== null) {
    if (form) {
      const params = new URLSearchParams(body);
      token = params.get("token")?.trim();
      next = params.get("next") ?? "/";
    } else {
      try {
        token = (JSON.parse(body) as { token?: unknown }).token;
      } catch {
        token = undefined;
      }
    }
  }
  if (!counted && !auth.tokens?.verify(token)) return limited();
  const result = await auth.login(token, info.ip, info.secure, counted);
  if (result === "limited") {
    if (form) return redirect(res, `${basePath}/login?error=logins`);
    return send(res, 429, { error: { code: "RATE_LIMITED", message: "too many logins with this token; try again in a minute" } }, { "retry-after": "60" });
  }
  if (!result) {
    if (form) return redirect(res, `${basePath}/login?error=token`);
    return send(res, 401, { error: { code: "UNAUTHORIZED", message: "that token is not valid" } });
  }
  // In a cluster the next request may reach another node: the session is in Redis before the cookie leaves.
  await auth.settled();
  if (result.cookie) res.setHeader("Set-Cookie", result.cookie);
  // The page key goes only to whoever signed in: in the answer, or in the redirect's fragment (which
  // no server sees) for a form posted before the page's script ran.
  const key = auth.pageKeyOf(result.principal);
  if (form) return redirect(res, within(basePath, safeNext(next)) + (key ? `#page=${key}` : ""));
  const { name, role, sessions } = result.principal;
  return send(res, 200, { data: { name, role, sessions, ...(key ? { pageKey: key } : {}) } });
}

/** A path under the base path; the base's root is the base itself (Next redirects "/base/" there). */
export function within(basePath: string, p: string): string {
  return basePath && p === "/" ? basePath : `${basePath}${p}`;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, "cache-control": "no-store" });
  res.end();
}
