import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import type { Config } from "../config.ts";
import { clientInfo, hostAllowed, trustList } from "./client-info.ts";
import { HostPolicy } from "./host-policy.ts";

const REFUSAL = JSON.stringify({ error: { code: "HOST_NOT_ALLOWED", message: "this Host is not served here (server.allowed_hosts, server.public_url)" } });

/** The Host allow-list of a server, reading its listening port once it listens. */
export function hostPolicyOf(config: Config, server: HttpServer): HostPolicy {
  return new HostPolicy(config, () => (server.address() as AddressInfo | null)?.port ?? config.server.port);
}

/** Whether a request (HTTP or upgrade) names an allowed host, X-Forwarded-Host of trusted proxies included. */
export function hostCheck(config: Config, policy: HostPolicy): (req: IncomingMessage) => boolean {
  const trust = trustList(config.server.trust_proxy);
  return (req) => hostAllowed(req, clientInfo(req, trust), policy);
}

/**
 * Puts the Host check in front of everything the server answers: every `request` and `upgrade`
 * listener already on the server (panecast's handler with Next.js behind it, and engine.io, which
 * takes /socket.io requests before the handler sees them). Call it once every listener is attached.
 * A refused request gets 421 and `{error: {code: "HOST_NOT_ALLOWED"}}`, before any route, auth or
 * handshake code runs.
 */
export function guardHosts(server: HttpServer, allowed: (req: IncomingMessage) => boolean): void {
  const requests = server.listeners("request") as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  const upgrades = server.listeners("upgrade") as Array<(req: IncomingMessage, socket: Duplex, head: Buffer) => void>;
  server.removeAllListeners("request");
  server.removeAllListeners("upgrade");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (allowed(req)) {
      for (const l of requests) l.call(server, req, res);
      return;
    }
    res.writeHead(421, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", connection: "close" });
    res.end(REFUSAL);
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (allowed(req)) {
      for (const l of upgrades) l.call(server, req, socket, head);
      return;
    }
    socket.end(
      `HTTP/1.1 421 Misdirected Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(REFUSAL)}\r\nconnection: close\r\n\r\n${REFUSAL}`,
    );
  });
}
