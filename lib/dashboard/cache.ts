import { open, stat } from "node:fs/promises";
import { LRUCache } from "lru-cache";
import type { FileProblem } from "../protocol.ts";

export interface CacheOptions {
  /** Files larger than this are never read. */
  maxFileBytes: number;
  /** Entries and bytes the cache holds at most (0 entries: no caching). */
  maxEntries: number;
  maxBytes: number;
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
  async read<T>(path: string, kind: string, derive: (text: string) => T | Promise<T>): Promise<FileRead<T>> {
    let st;
    try {
      st = await stat(path);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR"
        ? { state: "missing" }
        : { state: "unreadable" };
    }
    if (!st.isFile()) return { state: "unreadable" };
    if (st.size > this.opts.maxFileBytes) return { state: "too-large", size: st.size, limit: this.opts.maxFileBytes };

    let entry = this.lru?.get(path);
    if (entry && entry.mtimeMs === st.mtimeMs && entry.size === st.size) {
      this.stats.hits++;
    } else {
      const got = await this.readText(path);
      if (typeof got !== "string") return got;
      entry = { mtimeMs: st.mtimeMs, size: st.size, text: got, derived: new Map(), bytes: got.length * 2 };
      this.lru?.set(path, entry);
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
          if (this.lru?.get(path) === e) this.lru.set(path, e);
        },
        () => e.derived.delete(kind),
      );
    }
    const value = await derived;
    return { state: "ok", value, text: entry.text, mtimeMs: entry.mtimeMs, size: entry.size };
  }

  /** Reads at most the limit (the file may have grown since stat) and decodes strict UTF-8. */
  private async readText(path: string): Promise<string | FileProblem> {
    this.stats.reads++;
    let handle;
    try {
      handle = await open(path, "r");
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
