import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { sessionVisible } from "../auth/principal.ts";
import { RateLimiter } from "../auth/rate-limit.ts";
import { clientInfo, originAllowed, trustList } from "../http/client-info.ts";
import type { ClientPort, Fanout, View } from "../hub/hub.ts";
import { PROTOCOL_VERSION } from "../protocol.ts";
import type { RealtimeDeps } from "./deps.ts";
import { registerDocHandlers } from "./docs.handlers.ts";
import { registerAgentHandlers } from "./agents.handlers.ts";
import { registerPaneHandlers } from "./panes.handlers.ts";
import { registerSendHandlers } from "./send.handlers.ts";
import { registerTokenHandlers } from "./tokens.handlers.ts";
import type { PanecastIo, PanecastSocket } from "./types.ts";

export type { PanecastIo, PanecastSocket, SocketData } from "./types.ts";

const KNOWN_EVENTS = new Set<string>([
  "subscribe",
  "pane:resync",
  "pane:history",
  "pane:send",
  "topology:get",
  "doc:subscribe",
  "token:list",
  "token:create",
  "token:revoke",
  "events:subscribe",
  "git:refresh",
]);

export function socketPath(basePath: string): string {
  return `${basePath}/socket.io`;
}

/** An error a client sees on connect_error: `err.message` and `err.data.code`. */
function refusal(code: string, message: string): Error & { data: { code: string } } {
  return Object.assign(new Error(message), { data: { code } });
}

/** The Socket.IO side of panecast on an existing HTTP server. */
export function createRealtime(
  httpServer: HttpServer,
  deps: Omit<RealtimeDeps, "hub">,
): { io: PanecastIo; fanout: Fanout; attach: (d: RealtimeDeps) => void } {
  const { config, auth } = deps;
  const trust = trustList(config.server.trust_proxy);
  const io: PanecastIo = new Server(httpServer, {
    path: socketPath(config.server.base_path),
    maxHttpBufferSize: config.hub.max_message_bytes,
    serveClient: false,
    // Same-origin only: no CORS headers are sent; a foreign Origin is refused outright below.
    cors: undefined,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    // Cross-site WebSocket hijacking: a page elsewhere could open a socket with the user's cookie.
    allowRequest: (req, cb) => {
      const ok = originAllowed(req, clientInfo(req, trust), config.server.allowed_origins);
      cb(ok ? null : "origin not allowed", ok);
    },
  });

  const perIp = new Map<string, number>();
  let total = 0;
  io.use((socket, next) => {
    const info = clientInfo(socket.request, trust);
    if (total >= config.hub.max_clients) return next(refusal("RATE_LIMITED", `too many connections (limit ${config.hub.max_clients})`));
    if ((perIp.get(info.ip) ?? 0) >= config.limits.max_connections_per_ip) {
      return next(refusal("RATE_LIMITED", `too many connections from this address (limit ${config.limits.max_connections_per_ip})`));
    }
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (auth.enabled && token !== undefined && !auth.mayTry(info.ip)) return next(refusal("RATE_LIMITED", "too many failed logins; try again later"));
    const principal = auth.fromHeaders(socket.request.headers, token);
    if (!principal) {
      if (token !== undefined) auth.login(token, info.ip, info.secure);
      return next(refusal("UNAUTHORIZED", "a valid token is required"));
    }
    socket.data.principal = principal;
    socket.data.ip = info.ip;
    total++;
    perIp.set(info.ip, (perIp.get(info.ip) ?? 0) + 1);
    socket.on("disconnect", () => {
      total--;
      const n = (perIp.get(info.ip) ?? 1) - 1;
      if (n <= 0) perIp.delete(info.ip);
      else perIp.set(info.ip, n);
    });
    next();
  });

  // Socket.IO encodes a broadcast once for all its sockets; `local` keeps it off the Redis adapter
  // (every node sends its own clients their batches).
  const fanout: Fanout = {
    send(ids, batch) {
      if (ids.length === 1) io.of("/").sockets.get(ids[0]!)?.emit("batch", batch);
      else io.local.to(ids as string[]).emit("batch", batch);
    },
  };

  const attach = (full: RealtimeDeps): void => {
    const limits: Limits = {
      messages: new RateLimiter({ ratePerSecond: config.limits.messages_per_second, burst: config.limits.messages_burst }),
      sends: new RateLimiter({ ratePerSecond: config.limits.sends_per_minute / 60, burst: Math.max(1, Math.ceil(config.limits.sends_per_minute / 6)) }),
    };
    io.on("connection", (socket) => {
      onConnection(socket, full, limits);
      full.awareness.watchers(io.of("/").sockets.size);
      socket.on("disconnect", () => full.awareness.watchers(io.of("/").sockets.size));
    });
    // A revoked (or expired) token loses its live sockets at once.
    full.auth.tokens?.on("changed", () => {
      for (const s of io.of("/").sockets.values()) {
        if (!full.auth.tokens!.principalOf(s.data.principal.tokenId)) {
          s.emit("server:error", { code: "UNAUTHORIZED", message: "token revoked or expired" });
          s.disconnect(true);
        }
      }
    });
  };
  return { io, fanout, attach };
}

interface Limits {
  messages: RateLimiter;
  sends: RateLimiter;
}

function onConnection(socket: PanecastSocket, deps: RealtimeDeps, limits: Limits): void {
  const messages = limits.messages;
  const { hub, config } = deps;
  const principal = socket.data.principal;
  const view: View = principal.sessions === null ? null : { key: JSON.stringify(principal.sessions), sees: (name) => sessionVisible(principal, name) };
  hub.addClient(portOf(socket), view);
  socket.on("disconnect", () => hub.removeClient(socket.id));

  // Every message costs one token from the connection's token's bucket and one from its address's.
  socket.use((packet, next) => {
    const [event] = packet;
    if (messages.take(`t:${principal.tokenId}`) && messages.take(`ip:${socket.data.ip}`)) return next();
    const ack = packet[packet.length - 1];
    const error = { code: "RATE_LIMITED" as const, message: "too many messages; slow down", event: String(event).slice(0, 64) };
    if (typeof ack === "function") (ack as (r: unknown) => void)({ error });
    else socket.emit("server:error", error);
  });
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === "string" && KNOWN_EVENTS.has(event)) return;
    const error = { code: "BAD_REQUEST" as const, message: "unknown event", event: String(event).slice(0, 64) };
    const ack = args[args.length - 1];
    if (typeof ack === "function") (ack as (r: unknown) => void)({ error });
    else socket.emit("server:error", error);
  });
  registerPaneHandlers(socket, deps);
  registerSendHandlers(socket, deps, limits.sends);
  registerTokenHandlers(socket, deps);
  registerDocHandlers(socket, deps);
  registerAgentHandlers(socket, deps);
  socket.emit("hello", {
    protocolVersion: PROTOCOL_VERSION,
    serverVersion: deps.version,
    epoch: deps.epoch,
    tmux: hub.tmuxState,
    watchMode: config.watch.mode,
    principal: { name: principal.name, role: principal.role, sessions: principal.sessions },
    authEnabled: deps.auth.enabled,
    highlight: { error: config.alerts.error_patterns, warning: config.alerts.warning_patterns },
  });
  // The sessions push and the latest resources follow in the client's first batch.
}

/** Adapts a socket to the hub: its id, and the engine's write buffer for backpressure. */
function portOf(socket: PanecastSocket): ClientPort {
  const conn = socket.conn as unknown as { writeBuffer: unknown[]; on(e: "drain", cb: () => void): void };
  return {
    id: socket.id,
    buffered: () => conn.writeBuffer.length,
    onDrain: (cb) => conn.on("drain", cb),
  };
}
