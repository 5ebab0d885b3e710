import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { sessionVisible } from "../auth/principal.ts";
import { RateLimiter } from "../auth/rate-limit.ts";
import { clientInfo, hostAllowed, originAllowed, trustList } from "../http/client-info.ts";
import type { HostPolicy } from "../http/host-policy.ts";
import type { Config } from "../config.ts";
import type { ClientPort, Fanout, View } from "../hub/hub.ts";
import { CLIENT_EVENTS, PROTOCOL_VERSION } from "../protocol.ts";
import { ConnectionCounter, guard, mayQueue, queuedPackets, type FloodOptions } from "./flood.ts";
import type { RealtimeDeps } from "./deps.ts";
import { registerDocHandlers } from "./docs.handlers.ts";
import { registerAgentHandlers } from "./agents.handlers.ts";
import { registerAnswerHandlers } from "./answer.handlers.ts";
import { registerPaneHandlers } from "./panes.handlers.ts";
import { registerKeyHandlers } from "./keys.handlers.ts";
import { registerSendHandlers } from "./send.handlers.ts";
import { guardSessions, guardSocket } from "./session-guard.ts";
import { registerTokenHandlers } from "./tokens.handlers.ts";
import { registerRecordingHandlers } from "./recordings.handlers.ts";
import type { PanecastIo, PanecastSocket } from "./types.ts";

export type { PanecastIo, PanecastSocket, SocketData } from "./types.ts";

const KNOWN_EVENTS: ReadonlySet<string> = new Set(CLIENT_EVENTS);

export function socketPath(basePath: string): string {
  return `${basePath}/socket.io`;
}

/** An error a client sees on connect_error: `err.message` and `err.data.code`. */
function refusal(code: string, message: string): Error & { data: { code: string } } {
  return Object.assign(new Error(message), { data: { code } });
}

/**
 * The Socket.IO server, made before the hub: the hub's batches go out through it (`fanoutOf`).
 * Its checks and handlers come with the transport, once the hub exists.
 */
export function createIo(config: Config): PanecastIo {
  return new Server({
    path: socketPath(config.server.base_path),
    // The engine's hard bound closes the connection; below it, an event over max_message_bytes is
    // answered with MESSAGE_TOO_LARGE (onConnection), so a client learns why.
    maxHttpBufferSize: 2 * config.hub.max_message_bytes,
    serveClient: false,
    // Same-origin only: no CORS headers are sent; a foreign Origin is refused outright in `attach`.
    cors: undefined,
    pingInterval: 10_000,
    pingTimeout: 8_000,
  });
}

/** The hub's way out: Socket.IO encodes a broadcast once for all its sockets; every node sends its own clients their batches. */
export function fanoutOf(io: PanecastIo): Fanout {
  return {
    send(ids, batch) {
      if (ids.length === 1) io.of("/").sockets.get(ids[0]!)?.emit("batch", batch);
      else io.local.to(ids as string[]).emit("batch", batch);
    },
  };
}

/**
 * Socket.IO as a port of the hub: built after the hub with everything its handlers call, which it
 * registers once, and attached to the HTTP server last (`attach`), so that it takes /socket.io
 * requests before panecast's handler and Next.js see them.
 */
export class SocketTransport {
  readonly io: PanecastIo;
  private readonly connections = new ConnectionCounter();
  private readonly config: Config;

  /** Who may connect, and every client event's handler. */
  constructor(io: PanecastIo, deps: RealtimeDeps) {
    this.io = io;
    this.config = deps.config;
    const { config, auth } = deps;
    const { connections } = this;
    const trust = trustList(config.server.trust_proxy);
    let total = 0;
    // Cluster: a login made on another node an instant ago is read from Redis before the check below.
    io.use((socket, next) => void auth.prefetch(socket.request.headers).then(() => next(), () => next()));
    io.use((socket, next) => {
      const info = clientInfo(socket.request, trust);
      if (total >= config.hub.max_clients) return next(refusal("RATE_LIMITED", `too many connections (limit ${config.hub.max_clients})`));
      // This connection is counted already (at the engine).
      if (connections.count(info.ip) > config.limits.max_connections_per_ip) {
        return next(refusal("RATE_LIMITED", `too many connections from this address (limit ${config.limits.max_connections_per_ip})`));
      }
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const principal = auth.identify(socket.request.headers, info.ip, token, info.secure);
      if (principal === "limited") return next(refusal("RATE_LIMITED", "too many failed logins; try again later"));
      if (!principal) return next(refusal("UNAUTHORIZED", "a valid token is required"));
      // Signed in by cookie: the cookie reaches every port of this host, the page key only this page.
      if (!auth.pageKeyOk(principal, (socket.handshake.auth as { page?: unknown } | undefined)?.page)) {
        return next(refusal("UNAUTHORIZED", "this page's session key is missing or wrong; sign in again"));
      }
      socket.data.principal = principal;
      socket.data.ip = info.ip;
      total++;
      socket.on("disconnect", () => total--);
      next();
    });

    const limits: Limits = {
      socket: new RateLimiter({ ratePerSecond: config.limits.socket_messages_per_second, burst: config.limits.socket_messages_burst }),
      messages: new RateLimiter({ ratePerSecond: config.limits.messages_per_second, burst: config.limits.messages_burst }),
      flood: { answered: 5, windowMs: 10_000, disconnectAfter: config.limits.flood_disconnect_after, maxQueued: config.limits.max_queued_packets, maxQueuedBytes: config.limits.max_queued_bytes, maxQueuedBytesPerToken: config.limits.max_queued_bytes_per_token },
      sends: new RateLimiter({ ratePerSecond: config.limits.sends_per_minute / 60, burst: Math.max(1, Math.ceil(config.limits.sends_per_minute / 6)) }),
      // A client acknowledges at most about ten times a second (lib/client/acks.ts); this only stops a flood.
      acks: new RateLimiter({ ratePerSecond: 100, burst: 200 }),
      // A burst of ten seconds' worth: a paste of a few lines or a quick run of arrows passes at once.
      keys: new RateLimiter({ ratePerSecond: config.limits.keys_per_minute / 60, burst: Math.max(1, Math.ceil(config.limits.keys_per_minute / 6)) }),
    };
    io.on("connection", (socket) => {
      onConnection(socket, deps, limits);
      deps.awareness.watchers(deps.hub.clientCount);
      socket.on("disconnect", () => deps.awareness.watchers(deps.hub.clientCount));
      // Last: it may close the socket at once, and every disconnect handler must be in place by then.
      guardSocket(socket, auth);
    });
    guardSessions(io, auth);
    // A revoked (or expired) token loses its live sockets at once.
    auth.tokens?.on("changed", () => {
      for (const s of io.of("/").sockets.values()) {
        if (!auth.tokens!.principalOf(s.data.principal.tokenId)) {
          s.emit("server:error", { code: "UNAUTHORIZED", message: "token revoked or expired" });
          s.disconnect(true);
        }
      }
    });
  }

  /**
   * Serves on the HTTP server. Call it once the server's request handler is on it, and before
   * guardHosts. DNS rebinding (a foreign Host) and cross-site WebSocket hijacking (a foreign Origin:
   * a page elsewhere could open a socket with the user's cookie) are refused at the engine;
   * guardHosts refuses a foreign Host first.
   */
  attach(httpServer: HttpServer, hosts: HostPolicy): void {
    const { io, config, connections } = this;
    const trust = trustList(config.server.trust_proxy);
    io.attach(httpServer, {
      allowRequest: (req, cb) => {
        const info = clientInfo(req, trust);
        if (!hostAllowed(req, info, hosts)) return cb("HOST_NOT_ALLOWED", false);
        // Engine-level connections, authenticated or not, count against the limits. One more than the
        // limit gets through here, so that the namespace check can answer it with a coded error.
        if (connections.count(info.ip) > config.limits.max_connections_per_ip || io.engine.clientsCount > config.hub.max_clients) {
          return cb("RATE_LIMITED", false);
        }
        const ok = originAllowed(req, info, hosts, config.server.allowed_origins);
        cb(ok ? null : "origin not allowed", ok);
      },
    });
    io.engine.on("connection", (raw: { request: Parameters<typeof clientInfo>[0]; once(e: "close", cb: () => void): void }) => {
      connections.track(clientInfo(raw.request, trust).ip, (cb) => raw.once("close", cb));
    });
  }
}

interface Limits {
  /** Per socket, taken first: a flooding socket uses up its own bucket, not its token's. */
  socket: RateLimiter;
  /** Per token and per address, over all their sockets. */
  messages: RateLimiter;
  flood: FloodOptions;
  sends: RateLimiter;
  /** `batch:ack`, per socket, apart from the request buckets. */
  acks: RateLimiter;
  /** Keyboard mode's steps per token. */
  keys: RateLimiter;
}

function onConnection(socket: PanecastSocket, deps: RealtimeDeps, limits: Limits): void {
  const messages = limits.messages;
  const { hub, config } = deps;
  const principal = socket.data.principal;
  const view: View = principal.sessions === null ? null : { key: JSON.stringify(principal.sessions), sees: (name) => sessionVisible(principal, name) };
  hub.addClient(portOf(socket), view);
  socket.on("disconnect", () => hub.removeClient(socket.id));

  // Every message costs one from the socket's own bucket first, then one from its token's and one
  // from its address's. Over the rate, a socket hears so a few times per window, then nothing; one
  // that keeps going is disconnected. A client that does not read has its messages dropped unread.
  const flood = guard(socket, limits.flood, (count) => {
    deps.auth.audit.write({
      event: "socket.flood",
      token: principal.name,
      role: principal.role,
      remote: socket.data.ip,
      outcome: "disconnected",
      detail: `${count} messages over the rate or unread within ${limits.flood.windowMs / 1000} s`,
    });
    socket.disconnect(true);
  });
  flood.joinToken(principal.tokenId);
  socket.on("disconnect", () => flood.release());
  // The size of the event being decoded, read from the engine's packet just before (binary
  // attachments add to it), so a large message is refused without encoding it again.
  let packetBytes = 0;
  const conn = socket.conn as unknown as { on(e: "packet", cb: (p: { type: string; data?: unknown }) => void): void };
  conn.on("packet", (p) => {
    if (p.type !== "message") return;
    const d = p.data;
    const n = typeof d === "string" ? Buffer.byteLength(d) : d instanceof ArrayBuffer || ArrayBuffer.isView(d) ? d.byteLength : 0;
    // An event's attachments follow its packet: they add to the event's size until the next event.
    packetBytes = typeof d === "string" ? n : packetBytes + n;
  });
  socket.use((packet, next) => {
    const [event] = packet;
    const tooLarge = packetBytes > config.hub.max_message_bytes;
    // Acknowledgements queue nothing and free the client's window: they never count against its
    // token's requests (a busy token must not stall its clients' batches), only against their own
    // bucket, which an honest client stays far below.
    if (event === "batch:ack" && !tooLarge) {
      if (limits.acks.take(`a:${socket.id}`)) next();
      return;
    }
    const ack = packet[packet.length - 1];
    const answer = (error: { code: "MESSAGE_TOO_LARGE" | "RATE_LIMITED"; message: string; event: string }): void => {
      if (typeof ack === "function") (ack as (r: unknown) => void)({ error });
      else socket.emit("server:error", error);
    };
    if (flood.mayQueue() && limits.socket.take(`s:${socket.id}`) && messages.take(`t:${principal.tokenId}`) && messages.take(`ip:${socket.data.ip}`)) {
      // Too large is malformed input like any other: answered with its code within the same rates,
      // and never run.
      if (tooLarge) return answer({ code: "MESSAGE_TOO_LARGE", message: `messages are at most ${config.hub.max_message_bytes} bytes`, event: String(event).slice(0, 64) });
      return next();
    }
    if (flood.refuse() === "drop") return;
    answer({ code: "RATE_LIMITED", message: "too many messages; slow down", event: String(event).slice(0, 64) });
  });
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === "string" && KNOWN_EVENTS.has(event)) return;
    if (!mayQueue(socket)) return;
    const error = { code: "BAD_REQUEST" as const, message: "unknown event", event: String(event).slice(0, 64) };
    const ack = args[args.length - 1];
    if (typeof ack === "function") (ack as (r: unknown) => void)({ error });
    else socket.emit("server:error", error);
  });
  registerPaneHandlers(socket, deps);
  registerSendHandlers(socket, deps, limits.sends);
  registerAnswerHandlers(socket, deps, limits.sends);
  registerKeyHandlers(socket, deps, limits.keys);
  registerTokenHandlers(socket, deps);
  registerDocHandlers(socket, deps);
  registerAgentHandlers(socket, deps);
  registerRecordingHandlers(socket, deps);
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

/** Adapts a socket to the hub: its id, and the engine's buffer for backpressure (read in flood.ts). */
function portOf(socket: PanecastSocket): ClientPort {
  return {
    id: socket.id,
    buffered: () => queuedPackets(socket),
    onDrain: (cb) => socket.conn.on("drain", cb),
  };
}
