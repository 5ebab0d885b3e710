import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

/**
 * Who is on the other end, behind trusted reverse proxies only: X-Forwarded-* headers are believed
 * only when the TCP peer is in `server.trust_proxy`; otherwise the peer itself is the client.
 */
export interface ClientInfo {
  ip: string;
  secure: boolean;
  /** The origin this server is reached at, as the client sees it: "https://host:port". */
  origin: string;
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
  let ip = peer.startsWith("::ffff:") ? peer.slice(7) : peer;
  let secure = encrypted;
  let host = req.headers.host ?? "localhost";
  if (trusted(trust, peer)) {
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
    host = first(req.headers["x-forwarded-host"]) ?? host;
  }
  return { ip, secure, origin: `${secure ? "https" : "http"}://${host}` };
}

/**
 * Whether a request's Origin may act on this server: its own origin, or one in
 * `server.allowed_origins`. A request without Origin (curl, the CLI, Python) is not a browser acting
 * cross-site, and is allowed; it still needs a token.
 */
export function originAllowed(req: IncomingMessage, info: ClientInfo, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  // "null": an opaque origin. Only the browser's own Sec-Fetch-Site (no page can set it) vouches for it.
  if (origin === "null") return req.headers["sec-fetch-site"] === "same-origin";
  return origin === info.origin || allowed.includes(origin);
}
