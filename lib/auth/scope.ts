import type { Role } from "../protocol.ts";
import { globToRegExp } from "../topology.ts";
import { roleAtLeast } from "../roles.ts";
import type { Principal } from "./principal.ts";

const GLOB_CHARS = /[*?]/;

/**
 * Whether a requested session list stays inside a limit. `null` (or an empty list, which the token
 * store also reads as "all") means every session. Globs are not compared as languages: a requested
 * pattern is within only when it is literally one of the limit's patterns, or a plain session name
 * (no `*` or `?`) that one of them matches. So a limit of `shogun` refuses `shogun*` and `*`, and a
 * limit of `team-*` allows `team-*` and `team-a` but not `team-a*`.
 */
export function sessionsWithin(requested: readonly string[] | null, limit: readonly string[] | null): boolean {
  if (limit === null) return true;
  if (requested === null || requested.length === 0) return false;
  return requested.every((r) => limit.includes(r) || (!GLOB_CHARS.test(r) && limit.some((g) => globToRegExp(g).test(r))));
}

/** Whether a principal may make, see or revoke a token of this role and session list. */
export function tokenWithin(p: Pick<Principal, "role" | "sessions">, t: { role: Role; sessions: readonly string[] | null }): boolean {
  return roleAtLeast(p.role, t.role) && sessionsWithin(t.sessions, p.sessions);
}
