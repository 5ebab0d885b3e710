import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { Fanout, ClientPort } from "../hub/hub.ts";
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from "../protocol.ts";
import type { RealtimeDeps } from "./deps.ts";
import { docRoom, registerDocHandlers } from "./docs.handlers.ts";
import { registerPaneHandlers } from "./panes.handlers.ts";

export type PanecastIo = Server<ClientToServerEvents, ServerToClientEvents>;
type PanecastSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const KNOWN_EVENTS = new Set<string>(["subscribe", "pane:resync", "pane:history", "topology:get", "doc:subscribe"]);

export function socketPath(basePath: string): string {
  return `${basePath}/socket.io`;
}

/** The Socket.IO side of panecast on an existing HTTP server (the realtime factory tests build alone). */
export function createRealtime(httpServer: HttpServer, deps: Omit<RealtimeDeps, "hub">): { io: PanecastIo; fanout: Fanout; attach: (d: RealtimeDeps) => void } {
  const { config } = deps;
  const io: PanecastIo = new Server(httpServer, {
    path: socketPath(config.server.base_path),
    maxHttpBufferSize: config.hub.max_message_bytes,
    serveClient: false,
    // Same-origin only: no CORS headers are sent, and cross-origin browsers cannot read answers.
    cors: undefined,
    pingInterval: 10_000,
    pingTimeout: 8_000,
  });

  const fanout: Fanout = {
    emit(rooms, except, event, payload) {
      let op = io.to(rooms);
      if (except.length > 0) op = op.except(except);
      (op.emit as (e: string, p: unknown) => void)(event, payload);
    },
  };

  const attach = (full: RealtimeDeps): void => {
    io.on("connection", (socket) => onConnection(io, socket, full));
    full.documents.on("updated", (p) => io.to(docRoom(p.name)).emit("doc:updated", p));
  };
  return { io, fanout, attach };
}

function onConnection(io: PanecastIo, socket: PanecastSocket, deps: RealtimeDeps): void {
  const { hub, tracker, config } = deps;
  if (hub.clientCount >= config.hub.max_clients) {
    socket.emit("server:error", { code: "RATE_LIMITED", message: `too many clients (limit ${config.hub.max_clients})` });
    socket.disconnect(true);
    return;
  }
  hub.addClient(portOf(socket));
  socket.on("disconnect", () => hub.removeClient(socket.id));
  socket.onAny((event: string) => {
    if (!KNOWN_EVENTS.has(event)) {
      socket.emit("server:error", { code: "BAD_REQUEST", message: "unknown event", event: String(event).slice(0, 64) });
    }
  });
  registerPaneHandlers(socket, deps);
  registerDocHandlers(socket, deps.documents);
  socket.emit("hello", {
    protocolVersion: PROTOCOL_VERSION,
    serverVersion: deps.version,
    epoch: deps.epoch,
    tmux: tracker.state,
    watchMode: config.watch.mode,
  });
  void io;
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
