import { ROLES, type Role } from "./protocol.ts";

/**
 * Whether `role` carries at least what `needed` does. Roles rank by their place in ROLES (least to
 * most powerful), so server checks and the browser's "may I type" agree. Pure: the browser imports it.
 */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
