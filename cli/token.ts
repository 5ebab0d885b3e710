import { loadConfig, statePath } from "../lib/config.ts";
import { limitWarning, parseDuration, TokenError, TokenStore } from "../lib/auth/tokens.ts";
import { SessionKey, SessionKeyError } from "../lib/auth/session-key.ts";
import { AuditLog } from "../lib/auth/audit.ts";
import { ROLES, type Role } from "../lib/protocol.ts";
import { openDataDir } from "../lib/data-dir.ts";
import { CONFIG_OPTIONS, configArgv, list, parseCommand, str, UsageError, type CommandSpec } from "./args.ts";
import { openTokens, Unreachable, type OpenTokens } from "./token-store.ts";

const USAGE = `usage:
  panecast token create --name NAME --role ${ROLES.join("|")} [--sessions GLOB,...] [--expires 30d]
  panecast token list [--json]
  panecast token revoke NAME
  panecast token rotate-key    (a new cookie-signing key: ends every login session)
(tokens are kept hashed in tokens.json in the data directory, mode 0600; --data-dir / --tokens choose another)`;

/** One spec for the subcommands: the subcommand is the first positional. --sessions here is the token's scope. */
export const TOKEN: CommandSpec = {
  name: "token",
  usage: USAGE,
  options: { ...CONFIG_OPTIONS, name: { type: "string" }, role: { type: "string" }, expires: { type: "string" }, json: { type: "boolean" } },
  positionals: { min: 1, max: 2 },
};

/**
 * `panecast token …`: manages the token file (auth.tokens_path) directly, or with PANECAST_REDIS_URL
 * (cluster.redis_url) the cluster's tokens in Redis. A running server follows either, so a revoked
 * token's live sockets are dropped within a second, on every node.
 */
export async function token(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(TOKEN, argv);
  const [sub, arg] = positionals;
  if (sub !== "revoke" && arg !== undefined) throw new UsageError(`unexpected argument '${arg}'`, USAGE);
  const { sessions: scope, ...settings } = values;
  const config = loadConfig({ argv: configArgv(settings) });
  for (const line of openDataDir(config.data_dir)) console.error(line);
  const flag = (name: string): string | undefined => str(values, name);
  const audit = new AuditLog({ path: config.audit.path, maxBytes: config.audit.max_bytes, generations: config.audit.generations, logContent: false });
  let opened: OpenTokens | null = null;
  try {
    opened = await openTokens(config);
    const { store, settle, rotateKey } = opened;
    switch (sub) {
      case "create": {
        const name = flag("name");
        const role = flag("role");
        if (!name || !role) throw new UsageError("create needs --name and --role", USAGE);
        if (!(ROLES as readonly string[]).includes(role)) {
          console.error(`panecast: --role ${role}: expected one of ${ROLES.join(", ")}`);
          return 2;
        }
        const sessions = list(typeof scope === "string" ? scope : undefined) ?? null;
        const expires = flag("expires");
        const made = store.create({ name, role: role as Role, sessions, expiresInMs: expires ? parseDuration(expires) : null });
        await settle();
        audit.write({ event: "token.create", token: "cli", role: "admin", remote: "local", target: name, detail: `role=${role}${made.info.sessions ? ` sessions=${made.info.sessions.join(",")}` : ""}` });
        console.log(made.token);
        const warning = limitWarning(made.info);
        if (warning) console.error(`panecast: ${warning}`);
        console.error(
          `panecast: created token ${name} (${role}${made.info.sessions ? `, sessions ${made.info.sessions.join(",")}` : ""}${made.info.expiresAt ? `, expires ${made.info.expiresAt}` : ""}). It is shown only this once.`,
        );
        return 0;
      }
      case "list": {
        const list = store.list();
        if (values.json) {
          console.log(JSON.stringify(list, null, 2));
          return 0;
        }
        if (list.length === 0) {
          console.log("no tokens");
          return 0;
        }
        const rows = [["NAME", "ROLE", "SESSIONS", "CREATED", "EXPIRES"], ...list.map((t) => [t.name, t.role, t.sessions?.join(",") ?? "all", t.createdAt.slice(0, 19), t.expiresAt?.slice(0, 19) ?? "never"])];
        const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        console.log(rows.map((r) => r.map((c, i) => c.padEnd(w[i]!)).join("  ").trimEnd()).join("\n"));
        return 0;
      }
      case "revoke": {
        const name = arg;
        if (!name) throw new UsageError("revoke needs a NAME", USAGE);
        if (!store.revoke(name)) {
          console.error(`panecast: no token named ${name}`);
          return 1;
        }
        await settle();
        audit.write({ event: "token.revoke", token: "cli", role: "admin", remote: "local", target: name });
        console.error(`panecast: revoked token ${name}`);
        return 0;
      }
      case "rotate-key": {
        if (rotateKey) {
          // A cluster's key is in Redis: one rotation for every node, which all end every login session.
          await rotateKey();
          audit.write({ event: "key.rotate", token: "cli", role: "admin", remote: "local", detail: "every login session ended (cluster)" });
          console.error("panecast: rotated the cluster's session key in Redis. Every login session has ended on every node; their sockets close within a second.");
          return 0;
        }
        const file = statePath(config.data_dir, "session.key");
        // Moves a key still kept in the token file (older panecast) out of it first, then replaces it.
        new SessionKey(file, store instanceof TokenStore ? store : undefined);
        SessionKey.rotate(file);
        audit.write({ event: "key.rotate", token: "cli", role: "admin", remote: "local", detail: "every login session ended" });
        console.error(`panecast: rotated the session key (${file}). Every login session has ended; a running server closes their sockets within a second.`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand '${sub}': expected create, list, revoke or rotate-key`, USAGE);
    }
  } catch (err) {
    if (err instanceof Unreachable) {
      console.error(`panecast: ${err.message}`);
      return 1;
    }
    if (err instanceof TokenError || err instanceof SessionKeyError) {
      console.error(`panecast: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await opened?.close();
    await audit.flush();
  }
}
