import { PanecastError } from "../errors.ts";
import { parseDuration, TokenError } from "../auth/tokens.ts";
import type { RealtimeDeps } from "./deps.ts";
import { EmptySchema, TokenCreateSchema, TokenRevokeSchema } from "./messages.ts";
import { handle, requireRole } from "./handle.ts";
import type { PanecastSocket } from "./types.ts";


/** Token management over the socket (admin only); every change is audited. */
export function registerTokenHandlers(socket: PanecastSocket, deps: RealtimeDeps): void {
  const store = () => {
    if (!deps.auth.tokens) throw new PanecastError("FORBIDDEN", "authentication is off: there are no tokens");
    return deps.auth.tokens;
  };
  handle(socket, "token:list", EmptySchema, () => {
    requireRole(socket, "admin");
    return store().list();
  });
  handle(socket, "token:create", TokenCreateSchema, (req) => {
    const p = requireRole(socket, "admin");
    try {
      const made = store().create({ name: req.name, role: req.role, sessions: req.sessions ?? null, expiresInMs: req.expires ? parseDuration(req.expires) : null });
      deps.auth.audit.write({ event: "token.create", token: p.name, role: p.role, remote: socket.data.ip, target: req.name, detail: `role=${req.role}` });
      return made;
    } catch (err) {
      if (err instanceof TokenError) throw new PanecastError("TOKEN_ERROR", err.message);
      throw err;
    }
  });
  handle(socket, "token:revoke", TokenRevokeSchema, (req) => {
    const p = requireRole(socket, "admin");
    const revoked = store().revoke(req.name);
    if (revoked) deps.auth.audit.write({ event: "token.revoke", token: p.name, role: p.role, remote: socket.data.ip, target: req.name });
    return { revoked };
  });
}
