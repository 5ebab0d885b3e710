import { EventEmitter } from "node:events";
import { watch, watchFile, unwatchFile, type FSWatcher } from "node:fs";
import path from "node:path";
import type { DocInfo, DocPayload } from "../protocol.ts";
import type { DocumentCache } from "./cache.ts";
import { log } from "../log.ts";
import { RenderFailed, RenderPool, RenderTimeout } from "./render-pool.ts";

/**
 * What a render that ran out of time or threw leaves in the cache: the file is not tried again until
 * it changes.
 */
type Unrendered = { unrendered: { state: "too-slow"; limitMs: number } | { state: "render-failed" } };

function unrendered(err: unknown): Unrendered {
  if (err instanceof RenderTimeout) return { unrendered: { state: "too-slow", limitMs: err.limitMs } };
  if (err instanceof RenderFailed) return { unrendered: { state: "render-failed" } };
  throw err;
}

function isUnrendered(v: object): v is Unrendered {
  return "unrendered" in v;
}

export interface DocumentsEvents {
  updated: [DocPayload];
}

/**
 * The configured documents (Markdown dashboards and the command history) as live payloads. Each file
 * is watched through its directory, so a file that does not exist yet, or that an editor replaces by
 * renaming, is followed; a change is read once (debounced) and pushed when its content changed.
 */
export class Documents extends EventEmitter<DocumentsEvents> {
  private readonly docs: DocInfo[];
  private readonly cache: DocumentCache;
  private readonly debounceMs: number;
  private readonly watchers: Array<() => void> = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly signatures = new Map<string, string>();
  private readonly json = new Map<string, { sig: string; text: string }>();
  private readonly pool: RenderPool;
  private stopped = false;
  private readonly root: string | null;

  /** `root`: the directory settings resolve against; clients see paths relative to it (see `shown`). */
  constructor(docs: DocInfo[], cache: DocumentCache, opts: { debounceMs?: number; renderTimeoutMs?: number; remoteImages?: boolean; root?: string } = {}) {
    super();
    this.docs = docs;
    this.root = opts.root ?? null;
    this.cache = cache;
    this.debounceMs = opts.debounceMs ?? 50;
    this.pool = new RenderPool({ ...(opts.renderTimeoutMs ? { timeoutMs: opts.renderTimeoutMs } : {}), render: { remoteImages: opts.remoteImages ?? false } });
  }

  /** The documents as clients see them: each path relative to the root. */
  list(): DocInfo[] {
    return this.docs.map((d) => ({ ...d, path: this.shown(d.path) }));
  }

  /**
   * A path as clients see it: relative to the root when inside it, else the file's name alone. Where
   * the server keeps its files (home directory, user name, layout) is none of a viewer's business.
   */
  shown(file: string): string {
    const rel = this.root === null ? null : path.relative(this.root, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : path.basename(file);
  }

  info(name: string): DocInfo | undefined {
    return this.docs.find((d) => d.name === name);
  }

  /** The document as it is on disk now (from the cache when unchanged). */
  async payload(name: string): Promise<DocPayload | null> {
    const info = this.info(name);
    if (!info) return null;
    if (info.kind === "markdown") {
      const r = await this.cache.read(info.path, "markdown", (t) => this.pool.run("markdown", t).catch(unrendered));
      if (r.state !== "ok") return { kind: "markdown", name, path: this.shown(info.path), doc: r };
      const m = r.value;
      return {
        kind: "markdown",
        name,
        path: this.shown(info.path),
        doc: isUnrendered(m) ? m.unrendered : { state: "ok", html: m.html, toc: m.toc, raw: r.text, mtimeMs: r.mtimeMs, size: r.size },
      };
    }
    const r = await this.cache.read(info.path, "history", (t) => this.pool.run("history", t).catch(unrendered));
    if (r.state !== "ok") return { kind: "history", name, path: this.shown(info.path), doc: r };
    const h = r.value;
    if (isUnrendered(h)) return { kind: "history", name, path: this.shown(info.path), doc: h.unrendered };
    return {
      kind: "history",
      name,
      path: this.shown(info.path),
      doc: h.state === "entries" ? { state: "ok", entries: h.entries, mtimeMs: r.mtimeMs, size: r.size } : h,
    };
  }

  /** The payload as JSON, serialized once per version of the file (what HTTP serves). */
  async payloadJson(name: string): Promise<string | null> {
    const p = await this.payload(name);
    if (!p) return null;
    const sig = signature(p);
    const memo = this.json.get(name);
    if (memo && memo.sig === sig) return memo.text;
    const text = JSON.stringify(p);
    this.json.set(name, { sig, text });
    return text;
  }

  async start(): Promise<void> {
    for (const d of this.docs) {
      this.watch(d);
      const p = await this.payload(d.name).catch(() => null);
      if (p) this.signatures.set(d.name, signature(p));
    }
  }

  stop(): void {
    this.stopped = true;
    void this.pool.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const unwatch of this.watchers.splice(0)) unwatch();
  }

  private watch(d: DocInfo): void {
    const dir = path.dirname(d.path);
    const base = path.basename(d.path);
    let w: FSWatcher | null = null;
    try {
      w = watch(dir, { persistent: false }, (_event, filename) => {
        if (!filename || filename === base) this.schedule(d.name);
      });
      w.on("error", () => {});
      this.watchers.push(() => w?.close());
    } catch {
      // The directory does not exist (yet): fall back to stat polling, once a second.
      const listener = () => this.schedule(d.name);
      watchFile(d.path, { interval: 1000, persistent: false }, listener);
      this.watchers.push(() => unwatchFile(d.path, listener));
    }
  }

  private schedule(name: string): void {
    if (this.stopped || this.timers.has(name)) return;
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        this.check(name).catch((err: unknown) => log.warn({ err, doc: name }, "document check failed"));
      }, this.debounceMs),
    );
  }

  private async check(name: string): Promise<void> {
    const p = await this.payload(name);
    if (!p || this.stopped) return;
    const sig = signature(p);
    if (this.signatures.get(name) === sig) return;
    this.signatures.set(name, sig);
    this.emit("updated", p);
  }
}

function signature(p: DocPayload): string {
  const d = p.doc;
  return d.state === "ok" ? `ok:${d.mtimeMs}:${d.size}` : JSON.stringify(d);
}
