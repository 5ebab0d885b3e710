import { constants } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { LRUCache } from "lru-cache";
import type { FileProblem } from "../protocol.ts";

export interface CacheOptions {
  /** Files larger than this are never read. */
  maxFileBytes: number;
  /** Entries and bytes the cache holds at most (0 entries: no caching). */
  maxEntries: number;
  maxBytes: number;
  /**
   * Never served, whatever path leads there (symlinks, `..`, hard links): panecast's state directory
   * and its secret files (tokens, session key, audit log). Directories are compared by real path,
   * files also by device and inode, and names (settings files) by the real path's base name.
   */
  forbidden?: { dirs: string[]; files: string[]; names?: readonly string[] };
  /**
   * Directories a document may resolve into besides its own configured directory: a document whose
   * real path (symlinks followed) leaves both is refused, so a dashboard swapped for a symlink cannot
   * serve `/etc/passwd` or the settings file.
   */
  allowedRoots?: string[];
}

function isInside(real: string, root: string): boolean {
  return real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

export type FileRead<T> = { state: "ok"; value: T; text: string; mtimeMs: number; size: number } | FileProblem;

interface Entry {
  mtimeMs: number;
  size: number;
  text: string;
  /** Derived values (rendered HTML, parsed history) by the name of what made them. */
  derived: Map<string, unknown>;
  bytes: number;
}

/**
 * The seed's DashboardCache, bounded: a file is read again only when its mtime or size changed, reads
 * are asynchronous (never blocking the event loop), and what is derived from a file (rendered HTML,
 * parsed YAML) is kept beside it in an lru-cache bounded by entries and bytes.
 */
export class DocumentCache {
  private readonly opts: CacheOptions;
  private readonly lru: LRUCache<string, Entry> | null;
  readonly stats = { reads: 0, hits: 0, derivations: 0 };

  constructor(opts: CacheOptions) {
    this.opts = opts;
    this.lru =
      opts.maxEntries > 0
        ? new LRUCache<string, Entry>({ max: opts.maxEntries, maxSize: opts.maxBytes, sizeCalculation: (e) => Math.max(1, e.bytes) })
        : null;
  }

  /**
   * The file's text and `derive(text)`, from the cache while the file is unchanged. Concurrent reads
   * of the same new version share one derivation.
   */
  async read<T>(file: string, kind: string, derive: (text: string) => T | Promise<T>): Promise<FileRead<T>> {
    let st;
    let real: string;
    try {
      real = await realpath(file);
      st = await stat(real);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR"
        ? { state: "missing" }
        : { state: "unreadable" };
    }
    if (!st.isFile() || !(await this.isContained(file, real)) || (await this.isForbidden(real, st))) return { state: "unreadable" };
    if (st.size > this.opts.maxFileBytes) return { state: "too-large", size: st.size, limit: this.opts.maxFileBytes };

    let entry = this.lru?.get(real);
    if (entry && entry.mtimeMs === st.mtimeMs && entry.size === st.size) {
      this.stats.hits++;
    } else {
      const got = await this.readText(real);
      if (typeof got !== "string") return got;
      entry = { mtimeMs: st.mtimeMs, size: st.size, text: got, derived: new Map(), bytes: got.length * 2 };
      this.lru?.set(real, entry);
    }
    let derived = entry.derived.get(kind) as Promise<T> | undefined;
    if (derived === undefined) {
      const e = entry;
      this.stats.derivations++;
      derived = Promise.resolve().then(() => derive(e.text));
      e.derived.set(kind, derived);
      derived.then(
        (v) => {
          e.bytes += JSON.stringify(v).length * 2;
          if (this.lru?.get(real) === e) this.lru.set(real, e);
        },
        () => e.derived.delete(kind),
      );
    }
    const value = await derived;
    return { state: "ok", value, text: entry.text, mtimeMs: entry.mtimeMs, size: entry.size };
  }

  /** Whether the real path stays inside the configured file's directory or an allowed root. */
  private async isContained(file: string, real: string): Promise<boolean> {
    for (const dir of [path.dirname(path.resolve(file)), ...(this.opts.allowedRoots ?? [])]) {
      const root = await realpath(dir).catch(() => null);
      if (root !== null && isInside(real, root)) return true;
    }
    return false;
  }

  private async isForbidden(real: string, st: { dev: number; ino: number }): Promise<boolean> {
    const f = this.opts.forbidden;
    if (!f) return false;
    if (f.names?.includes(path.basename(real))) return true;
    for (const dir of f.dirs) {
      const root = await realpath(dir).catch(() => path.resolve(dir));
      if (real === root || isInside(real, root)) return true;
    }
    for (const file of f.files) {
      const other = await stat(file).catch(() => null);
      if (other && other.dev === st.dev && other.ino === st.ino) return true;
    }
    return false;
  }

  /** Reads at most the limit (the file may have grown since stat) and decodes strict UTF-8. */
  private async readText(file: string): Promise<string | FileProblem> {
    this.stats.reads++;
    let handle;
    try {
      // The real path was checked; a symlink put in its place since is not followed.
      handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
      const buf = Buffer.alloc(this.opts.maxFileBytes + 1);
      let n = 0;
      while (n < buf.length) {
        const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      if (n > this.opts.maxFileBytes) return { state: "too-large", size: n, limit: this.opts.maxFileBytes };
      const bytes = buf.subarray(0, n);
      if (bytes.includes(0)) return { state: "binary" };
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        return { state: "binary" };
      }
    } catch {
      return { state: "unreadable" };
    } finally {
      await handle?.close();
    }
  }
}
