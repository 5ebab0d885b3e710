import { Worker } from "node:worker_threads";
import type { ParsedHistory } from "./history.ts";
import type { Rendered } from "./render.ts";

type Kind = "markdown" | "history";
type Result<K extends Kind> = K extends "markdown" ? Rendered : ParsedHistory;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * One worker thread that renders documents (started on first use, restarted if it dies). Rendering
 * 1 MB of Markdown takes about a second of CPU; off the main thread, pane streaming never waits for it.
 * At most `maxPending` jobs wait; one more is refused.
 */
export class RenderPool {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly maxPending: number;
  private closed = false;

  constructor(opts: { maxPending?: number } = {}) {
    this.maxPending = opts.maxPending ?? 32;
  }

  run<K extends Kind>(kind: K, text: string): Promise<Result<K>> {
    if (this.closed) return Promise.reject(new Error("render pool closed"));
    if (this.pending.size >= this.maxPending) return Promise.reject(new Error("too many documents waiting to render"));
    const id = this.nextId++;
    return new Promise<Result<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ensure().postMessage({ id, kind, text });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.fail(new Error("render pool closed"));
    await w?.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // From source (tests, dev), the worker needs tsx's loader; compiled, it is plain JavaScript.
    const entry = import.meta.url.endsWith(".ts") ? "./render-worker-entry.mjs" : "./render-worker.js";
    const w = new Worker(new URL(entry, import.meta.url));
    w.unref();
    w.on("message", (m: { id: number; value?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.value);
    });
    w.on("error", (err) => {
      if (this.worker === w) this.worker = null;
      this.fail(err);
    });
    w.on("exit", () => {
      if (this.worker === w) this.worker = null;
      this.fail(new Error("render worker exited"));
    });
    this.worker = w;
    return w;
  }

  private fail(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
