import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import type { Tokens } from "../auth/auth.ts";
import { statePath } from "../config.ts";

/** What `panecast hook` reads: where to post, and the `agent` token to post with (null: auth off). */
const CredentialsSchema = z.object({ url: z.string().regex(/^https?:\/\/\S+$/), token: z.string().nullable() });
export type HookCredentials = z.infer<typeof CredentialsSchema>;

export function readCredentials(dataDir: string): HookCredentials | null {
  const file = statePath(dataDir, "agent-hook.json");
  if (!existsSync(file)) return null;
  try {
    const parsed = CredentialsSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written 0600: it holds a token. */
export function writeCredentials(dataDir: string, creds: HookCredentials): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = statePath(dataDir, "agent-hook.json");
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return file;
}

/**
 * The `agent` token hooks post with: the one stored already while it still verifies as an agent
 * token for the same sessions, else a new one (named agent-hooks, or agent-hooks-<random> when that
 * name is taken); a stored one for other sessions is revoked, so one token serves the hooks.
 */
export function ensureAgentToken(store: Tokens, existing: string | null, sessions: string[] | null): { token: string; created: string | null; revoked: string | null } {
  let revoked: string | null = null;
  if (existing) {
    const p = store.verify(existing);
    if (p && p.role === "agent") {
      if (JSON.stringify(p.sessions) === JSON.stringify(sessions)) return { token: existing, created: null, revoked: null };
      store.revoke(p.name);
      revoked = p.name;
    }
  }
  const taken = new Set(store.list().map((t) => t.name));
  const name = taken.has("agent-hooks") ? `agent-hooks-${randomBytes(3).toString("hex")}` : "agent-hooks";
  const made = store.create({ name, role: "agent", sessions });
  return { token: made.token, created: name, revoked };
}
