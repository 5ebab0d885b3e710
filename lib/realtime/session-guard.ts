import type { Auth } from "../auth/auth.ts";
import { hash } from "../auth/sessions.ts";
import type { PanecastIo, PanecastSocket } from "./types.ts";

/** setTimeout's longest delay (about 24.8 days); a later expiry re-arms on the way. */
const MAX_DELAY_MS = 2_147_483_647;

function drop(socket: PanecastSocket, message: string): void {
  socket.emit("server:error", { code: "UNAUTHORIZED", message });
  socket.disconnect(true);
}

/**
 * A socket lives no longer than its credential: one timer per socket (so as many as there are
 * sockets, and cleared with them) closes it when its token expires. A cookie socket keeps its login
 * session in use: the session is renewed when the socket closes.
 */
export function guardSocket(socket: PanecastSocket, auth: Auth): void {
  const p = socket.data.principal;
  // Signed out or revoked between the handshake and now: the broadcasts that close sockets missed it.
  if (auth.tokens && !auth.tokens.principalOf(p.tokenId)) return drop(socket, "token revoked or expired");
  if (p.sessionId && !auth.sessions.use(p.sessionId, p.tokenId)) return drop(socket, "signed out");
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    if (p.expiresAt === null) return;
    const left = p.expiresAt - Date.now();
    if (left <= 0) return drop(socket, "token expired");
    timer = setTimeout(arm, Math.min(left, MAX_DELAY_MS));
  };
  arm();
  socket.on("disconnect", () => {
    if (timer) clearTimeout(timer);
    if (p.sessionId) auth.sessions.use(p.sessionId, p.tokenId);
  });
}

/** Closes the sockets of ended login sessions (logout: one session; key rotation: every cookie socket). */
export function guardSessions(io: PanecastIo, auth: Auth): void {
  auth.on("sessions-ended", (sessionHash) => {
    for (const s of io.of("/").sockets.values()) {
      const sid = s.data.principal?.sessionId;
      if (sid !== undefined && (sessionHash === null || hash(sid) === sessionHash)) drop(s, "signed out");
    }
  });
}
