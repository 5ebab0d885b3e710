import { isIP } from "node:net";
import type { Config } from "../config.ts";

/**
 * Which Host names this server answers to: `server.allowed_hosts`, plus the bind address, localhost,
 * 127.0.0.1 and [::1] with the listening port, plus the hosts of `server.public_url` and
 * `server.allowed_origins`. Any other Host is refused on every route and on the Socket.IO handshake:
 * a page that points its own DNS name at 127.0.0.1 (DNS rebinding) reaches the server with a Host of
 * its own name, and so is turned away before anything else looks at the request.
 */

/** A normalized host: lower case, no trailing dot, IPv6 in brackets; port null means "any port". */
export interface HostEntry {
  name: string;
  port: number | null;
}

/**
 * Parses a Host header value (or an allow-list entry): `name`, `name:port`, `[v6]`, `[v6]:port`.
 * Case and one trailing dot are folded ("LocalHost." is "localhost"). Null for anything malformed:
 * userinfo, paths, spaces, a bare IPv6 address without brackets, a port out of range.
 */
export function parseHost(value: string): HostEntry | null {
  const v = value.trim().toLowerCase();
  let name: string;
  let rest: string;
  if (v.startsWith("[")) {
    const end = v.indexOf("]");
    if (end === -1) return null;
    const addr = v.slice(1, end);
    if (isIP(addr) !== 6) return null;
    name = `[${addr}]`;
    rest = v.slice(end + 1);
  } else {
    const colon = v.indexOf(":");
    name = colon === -1 ? v : v.slice(0, colon);
    rest = colon === -1 ? "" : v.slice(colon);
    if (name.endsWith(".")) name = name.slice(0, -1);
    if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name)) return null;
  }
  if (rest === "") return { name, port: null };
  if (!/^:\d{1,5}$/.test(rest)) return null;
  const port = Number(rest.slice(1));
  return port >= 1 && port <= 65535 ? { name, port } : null;
}

/** The host an origin or URL names, with its scheme's default port when it gives none. */
export function hostOfUrl(url: string): HostEntry | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  const h = parseHost(u.host);
  if (!h) return null;
  return { name: h.name, port: h.port ?? (u.protocol === "https:" ? 443 : 80) };
}

function bracketed(host: string): string {
  const bare = host.replace(/^\[|\]$/g, "");
  return isIP(bare) === 6 ? `[${bare}]` : host;
}

export class HostPolicy {
  private readonly fixed: HostEntry[];
  private readonly local: string[];
  private readonly port: () => number;
  private readonly publicOrigin: string | null;

  /**
   * `port` is read per request: with port 0 the listening port is known only after listen(). `bind`
   * is the listener's address (another listener than the main one: the metrics listener).
   */
  constructor(config: Config, port: () => number, bind: string = config.server.host) {
    this.port = port;
    const s = config.server;
    this.publicOrigin = s.public_url ? new URL(s.public_url).origin : null;
    this.local = [...new Set([bracketed(bind).toLowerCase(), "localhost", "127.0.0.1", "[::1]"])];
    this.fixed = [
      ...s.allowed_hosts.map((h) => parseHost(h)),
      ...(s.public_url ? [hostOfUrl(s.public_url)] : []),
      ...s.allowed_origins.map((o) => hostOfUrl(o)),
    ].filter((h): h is HostEntry => h !== null);
  }

  /**
   * Whether a Host header value is one of ours. Without a port, the request means the scheme's
   * default port (80, or 443 when `secure`).
   */
  allows(value: string | undefined, secure: boolean): boolean {
    if (value === undefined) return false;
    const h = parseHost(value);
    if (!h) return false;
    const port = h.port ?? (secure ? 443 : 80);
    if (this.local.includes(h.name) && port === this.port()) return true;
    return this.fixed.some((e) => e.name === h.name && (e.port === null || e.port === port));
  }

  /**
   * Whether a browser Origin is this server: `server.public_url`'s origin, or an origin of the
   * request's scheme whose host:port is allowed.
   */
  allowsOrigin(origin: string, secure: boolean): boolean {
    if (origin === this.publicOrigin) return true;
    const h = hostOfUrl(origin);
    if (!h || new URL(origin).protocol !== (secure ? "https:" : "http:")) return false;
    return this.allows(`${h.name}:${h.port}`, secure);
  }
}
