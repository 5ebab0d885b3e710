import type { Server, Socket } from "socket.io";
import type { Principal } from "../auth/principal.ts";
import type { ClientToServerEvents, ServerToClientEvents } from "../protocol.ts";

/** What a socket carries once the handshake accepted it. */
export interface SocketData {
  principal: Principal;
  ip: string;
}

/** The socket types every realtime module shares: kept apart so handlers and io.ts import no cycle. */
export type PanecastIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type PanecastSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
