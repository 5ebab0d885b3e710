import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { sessionVisible, type Principal } from "../auth/principal.ts";
import { RateLimiter } from "../auth/rate-limit.ts";
import { clientInfo, originAllowed, trustList } from "../http/client-info.ts";
import type { EventFilter } from "../events/event-log.ts";
import type { ClientPort, Fanout } from "../hub/hub.ts";
import { CLIENT_EVENTS, PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from "../protocol.ts";
import type { RealtimeDeps } from "./deps.ts";
import { docRoom, registerDocHandlers } from "./docs.handlers.ts";
import { registerAgentHandlers } from "./agents.handlers.ts";
import { wireAwareness } from "./awareness.push.ts";
import { registerPaneHandlers } from "./panes.handlers.ts";
import { registerSendHandlers } from "./send.handlers.ts";
import { registerTokenHandlers } from "./tokens.handlers.ts";

export interface SocketData {
  principal: Principal;
  ip: string;
  /** The event stream filter, once the client subscribed to events. */
  events?: EventFilter;
  /** The last event id sent to this client. */
  lastEvent?: string | null;
  /** Skipped while over its buffer bound: made up when its connection drains. */
  behind?: { sessions: boolean; events: boolean };
}

export type PanecastIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type PanecastSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const KNOWN_EVENTS: ReadonlySet<string> = new Set(CLIENT_EVENTS);

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

  const fanout: Fanout = {
    emit(rooms, except, event, payload) {
      let op = io.to(rooms);
      if (except.length > 0) op = op.except(except);
      (op.emit as (e: string, p: unknown) => void)(event, payload);
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
    full.documents.on("updated", (p) => io.to(docRoom(p.name)).emit("doc:updated", p));
    wireAwareness(io, full);
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
  const { hub, tracker, config } = deps;
  const principal = socket.data.principal;
  hub.addClient(portOf(socket), principal.sessions === null ? null : (name) => sessionVisible(principal, name));
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
  registerDocHandlers(socket, deps.documents);
  registerAgentHandlers(socket, deps);
  socket.emit("hello", {
    protocolVersion: PROTOCOL_VERSION,
    serverVersion: deps.version,
    epoch: deps.epoch,
    tmux: tracker.state,
    watchMode: config.watch.mode,
    principal: { name: principal.name, role: principal.role, sessions: principal.sessions },
    authEnabled: deps.auth.enabled,
    highlight: { error: config.alerts.error_patterns, warning: config.alerts.warning_patterns },
  });
  const visible = principal.sessions === null ? null : (name: string) => sessionVisible(principal, name);
  socket.emit("sessions", deps.awareness.sessions(visible));
  const latest = deps.awareness.resources.latest;
  if (latest && !visible) socket.emit("resources:updated", latest);
}

/** Adapts a socket to the hub: send, rooms, and the engine's write buffer for backpressure. */
function portOf(socket: PanecastSocket): ClientPort {
  const conn = socket.conn as unknown as { writeBuffer: unknown[]; on(e: "drain", cb: () => void): void };
  return {
    id: socket.id,
    send: (event, payload) => (socket.emit as (e: string, p: unknown) => void)(event, payload),
    join: (rooms) => void socket.join(rooms),
    leave: (rooms) => {
      for (const r of rooms) void socket.leave(r);
    },
    buffered: () => conn.writeBuffer.length,
    onDrain: (cb) => conn.on("drain", cb),
  };
}
