import path from "node:path";
import type { Config } from "../config.ts";
import { sessionKeyPath } from "./session-key.ts";
import { sessionsPath } from "./sessions.ts";

/**
 * What documents must never serve: panecast's state directory (the token file's directory, which
 * also holds the session key and the login sessions) and the secret files by name, wherever they
 * are configured to live.
 */
export function secretPaths(config: Config): { dirs: string[]; files: string[] } {
  const tokens = path.resolve(config.auth.tokens_path);
  const audit = path.resolve(config.audit.path);
  return {
    dirs: [path.dirname(tokens)],
    files: [tokens, sessionKeyPath(tokens), sessionsPath(tokens), audit, `${audit}.1`],
  };
}
