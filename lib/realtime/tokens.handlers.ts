import { PanecastError } from "../errors.ts";
import { log } from "../log.ts";
import { tokenWithin } from "../auth/scope.ts";
import { lifetimeWithin, limitWarning, TokenError } from "../auth/tokens.ts";
import type { RealtimeDeps } from "./deps.ts";
import { EmptySchema, TokenCreateSchema, TokenRevokeSchema } from "../protocol/messages.ts";
import { handle, requireRole } from "./handle.ts";
import type { PanecastSocket } from "./types.ts";

/**
 * Token management over the socket (admin only); every change is audited. An admin limited to some
 * sessions stays inside them: it makes tokens of at most its role and within its sessions, and lists
 * and revokes only such tokens (others read as absent, so their names do not leak); the tokens it makes
 * are named under its own name (`its-name.ci`). A token made here
 * never outlives the token that made it.
 */
export function registerTokenHandlers(socket: PanecastSocket, deps: RealtimeDeps): void {
  const store = () => {
    if (!deps.auth.tokens) throw new PanecastError("FORBIDDEN", "authentication is off: there are no tokens");
    return deps.auth.tokens;
  };
  handle(socket, "token:list", EmptySchema, () => {
    const p = requireRole(socket, "admin");
    return store()
      .list()
      .filter((t) => tokenWithin(p, t));
  });
  handle(socket, "token:create", TokenCreateSchema, (req) => {
    const p = requireRole(socket, "admin");
    const sessions = req.sessions && req.sessions.length > 0 ? req.sessions : null;
    // Names are unique across all tokens, so "exists already" would tell a limited admin that a name
    // outside its reach is taken. It names its tokens under its own name instead: any other name is
    // refused alike, whether a token has it or not.
    if (p.sessions !== null && !req.name.startsWith(`${p.name}.`)) {
      throw new PanecastError("FORBIDDEN", `token ${p.name} is limited to some sessions: it names the tokens it makes ${p.name}.<name>`);
    }
    if (!tokenWithin(p, { role: req.role, sessions })) {
      throw new PanecastError("FORBIDDEN", `token ${p.name} may only make tokens of at most its role and within its sessions (${p.sessions?.join(",") ?? "all"})`);
    }
    try {
      const made = store().create({ name: req.name, role: req.role, sessions, expiresInMs: lifetimeWithin(req.expires, p.expiresAt), notAfter: p.expiresAt });
      deps.auth.audit.write({ event: "token.create", token: p.name, role: p.role, remote: socket.data.ip, target: req.name, detail: `role=${req.role}${sessions ? ` sessions=${sessions.join(",")}` : ""}` });
      const warning = limitWarning(made.info);
      if (warning) log.warn({ token: req.name, by: p.name }, warning);
      return made;
    } catch (err) {
      if (err instanceof TokenError) throw new PanecastError("TOKEN_ERROR", err.message);
      throw err;
    }
  });
  handle(socket, "token:revoke", TokenRevokeSchema, (req) => {
    const p = requireRole(socket, "admin");
    const revoked = store().revoke(req.name, (t) => tokenWithin(p, t));
    if (revoked) deps.auth.audit.write({ event: "token.revoke", token: p.name, role: p.role, remote: socket.data.ip, target: req.name });
    return { revoked };
  });
}
