import { z } from "zod";
import { PanecastError } from "../errors.ts";
import { parseDuration, TokenError, TOKEN_NAME, ROLES } from "../auth/tokens.ts";
import type { RealtimeDeps } from "./deps.ts";
import { handle, requireRole } from "./handle.ts";
import type { PanecastSocket } from "./io.ts";
import { EmptySchema } from "./messages.ts";

const CreateSchema = z
  .object({
    name: z.string().regex(TOKEN_NAME, "letters, digits, '.', '_' or '-'"),
    role: z.enum(ROLES),
    sessions: z.array(z.string().regex(/^[A-Za-z0-9_*?-]{1,64}$/, "session names or globs")).max(64).optional(),
    expires: z.string().max(16).optional(),
  })
  .strict();
const RevokeSchema = z.object({ name: z.string().regex(TOKEN_NAME, "a token name") }).strict();

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
  handle(socket, "token:create", CreateSchema, (req) => {
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
  handle(socket, "token:revoke", RevokeSchema, (req) => {
    const p = requireRole(socket, "admin");
    const revoked = store().revoke(req.name);
    if (revoked) deps.auth.audit.write({ event: "token.revoke", token: p.name, role: p.role, remote: socket.data.ip, target: req.name });
    return { revoked };
  });
}
