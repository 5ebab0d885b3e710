import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";
import type { HostPolicy } from "./host-policy.ts";
import { viaProxy } from "./proxy-listener.ts";

/**
 * Who is on the other end, behind trusted reverse proxies only: X-Forwarded-* headers are believed
 * only on the proxy's own listener (`server.proxy_listen`) or when the TCP peer is in
 * `server.trust_proxy`; otherwise the peer itself is the client, whatever headers it sends.
 */
export interface ClientInfo {
  ip: string;
  secure: boolean;
  /** X-Forwarded-Host from a trusted proxy (checked against the allow-list like Host); else null. */
  forwardedHost: string | null;
}

export function trustList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr = "", bits] = c.split("/");
    const family = isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  return list;
}

function trusted(list: BlockList, ip: string): boolean {
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  const family = isIP(v4) === 6 ? "ipv6" : "ipv4";
  return isIP(v4) !== 0 && list.check(v4, family);
}

function first(h: string | string[] | undefined): string | undefined {
  return (Array.isArray(h) ? h[0] : h)?.split(",")[0]?.trim() || undefined;
}

export function clientInfo(req: IncomingMessage, trust: BlockList): ClientInfo {
  const peer = req.socket.remoteAddress ?? "";
  const encrypted = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  // A unix socket has no peer address: without X-Forwarded-For its clients share one name.
  let ip = peer.startsWith("::ffff:") ? peer.slice(7) : peer || "unix";
  let secure = encrypted;
  let forwardedHost: string | null = null;
  if (viaProxy(req.socket) || trusted(trust, peer)) {
    // The right-most X-Forwarded-For address that is not a trusted proxy is the client.
    const chain = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (let i = chain.length - 1; i >= 0; i--) {
      ip = chain[i]!;
      if (!trusted(trust, ip)) break;
    }
    const proto = first(req.headers["x-forwarded-proto"]);
    if (proto) secure = proto === "https";
    forwardedHost = first(req.headers["x-forwarded-host"]) ?? null;
  }
  return { ip, secure, forwardedHost };
}

/**
 * Whether the request names this server (see HostPolicy): its Host, and the X-Forwarded-Host of a
 * trusted proxy when there is one, must both be allowed. The server never takes its own origin from
 * these headers; they are only checked against the configured list.
 */
export function hostAllowed(req: IncomingMessage, info: ClientInfo, policy: HostPolicy): boolean {
  if (!policy.allows(req.headers.host, info.secure)) return false;
  return info.forwardedHost === null || policy.allows(info.forwardedHost, info.secure);
}

/**
 * Whether a request's Origin may act on this server: one of this server's own origins (HostPolicy),
 * or one in `server.allowed_origins`. A request without Origin (curl, the CLI, Python) is not a
 * browser acting cross-site, and is allowed; it still needs a token.
 */
export function originAllowed(req: IncomingMessage, info: ClientInfo, policy: HostPolicy, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  // "null": an opaque origin. Only the browser's own Sec-Fetch-Site (no page can set it) vouches for it.
  if (origin === "null") return req.headers["sec-fetch-site"] === "same-origin";
  return allowed.includes(origin) || policy.allowsOrigin(origin, info.secure);
}
