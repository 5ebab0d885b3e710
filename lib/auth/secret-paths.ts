import path from "node:path";
import { STATE_FILES, statePath, type Config } from "../config.ts";

/**
 * What documents must never serve: panecast's data directory (tokens, session key and table, VAPID
 * keys, push subscriptions, the hook's token…) and the token file's directory, and the secret files by
 * name, wherever they are configured to live.
 */
export function secretPaths(config: Config): { dirs: string[]; files: string[] } {
  const tokens = path.resolve(config.auth.tokens_path);
  const audit = path.resolve(config.audit.path);
  const dataDir = path.resolve(config.data_dir);
  const dirs = [dataDir, path.dirname(tokens)].filter((d, i, all) => all.indexOf(d) === i);
  return {
    dirs,
    files: [tokens, audit, `${audit}.1`, ...STATE_FILES.map((name) => statePath(dataDir, name))],
  };
}
