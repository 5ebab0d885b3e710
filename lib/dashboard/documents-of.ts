import { secretPaths } from "../auth/secret-paths.ts";
import type { Config } from "../config.ts";
import { DocumentCache } from "./cache.ts";
import { Documents } from "./documents.ts";

/**
 * The documents a config names (each `dashboards` entry and the history file), read through one
 * bounded cache that refuses panecast's own secrets and anything outside `docs.allowed_roots`.
 */
export function documentsOf(config: Config): Documents {
  return new Documents(
    [
      ...config.dashboards.map((d) => ({ kind: "markdown" as const, name: d.name, path: d.path })),
      { kind: "history" as const, name: "history", path: config.history.path },
    ],
    new DocumentCache({
      maxFileBytes: config.docs.max_file_bytes,
      maxEntries: config.docs.cache_entries,
      maxBytes: config.docs.cache_max_bytes,
      forbidden: secretPaths(config),
      allowedRoots: config.docs.allowed_roots,
    }),
    { debounceMs: config.docs.debounce_ms, renderTimeoutMs: config.docs.render_timeout_ms, remoteImages: config.docs.allow_remote_images, root: process.cwd() },
  );
}
