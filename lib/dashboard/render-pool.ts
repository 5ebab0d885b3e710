import { Worker } from "node:worker_threads";
import type { ParsedHistory } from "./history.ts";
import type { Rendered, RenderOptions } from "./render.ts";

type Kind = "markdown" | "history";
type Result<K extends Kind> = K extends "markdown" ? Rendered : ParsedHistory;

interface Job {
  id: number;
  kind: Kind;
  text: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** The renderer threw on this input (e.g. nesting deep enough to exhaust the stack). */
export class RenderFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderFailed";
  }
}

/** A document took longer than the render budget; its worker was stopped. */
export class RenderTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`rendering took longer than ${limitMs} ms`);
    this.name = "RenderTimeout";
  }
}

export interface RenderPoolOptions {
  maxPending?: number;
  /** Budget of one job once the worker starts it; over it the worker is terminated and respawned. */
  timeoutMs?: number;
  render?: RenderOptions;
}

/**
 * One worker thread that renders documents (started on first use, restarted if it dies). Rendering
 * 1 MB of Markdown takes about a second of CPU; off the main thread, pane streaming never waits for it.
 * At most `maxPending` jobs wait; one more is refused. The worker takes jobs in order, so the job at
 * the head of the queue is the one running: its budget starts when the one before it finishes. A job
 * over budget (Markdown whose parse grows worse than linearly, such as hundreds of nested lists) is
 * failed with RenderTimeout, the worker terminated, and the jobs behind it handed to a new worker.
 */
export class RenderPool {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private nextId = 1;
  private readonly maxPending: number;
  private readonly timeoutMs: number;
  private readonly render: RenderOptions;
  private timer: NodeJS.Timeout | null = null;
  private ready = false;
  private closed = false;

  constructor(opts: RenderPoolOptions = {}) {
    this.maxPending = opts.maxPending ?? 32;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.render = opts.render ?? {};
  }

  run<K extends Kind>(kind: K, text: string): Promise<Result<K>> {
    if (this.closed) return Promise.reject(new Error("render pool closed"));
    if (this.queue.length >= this.maxPending) return Promise.reject(new Error("too many documents waiting to render"));
    return new Promise<Result<K>>((resolve, reject) => {
      const job: Job = { id: this.nextId++, kind, text, resolve: resolve as (v: unknown) => void, reject };
      this.queue.push(job);
      this.post(this.ensure(), job);
      if (this.queue.length === 1) this.arm();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.disarm();
    const w = this.worker;
    this.worker = null;
    this.fail(new Error("render pool closed"));
    await w?.terminate();
  }

  private post(w: Worker, job: Job): void {
    w.postMessage({ id: job.id, kind: job.kind, text: job.text, render: this.render });
  }

  /** Starts the budget of the job now at the head of the queue. */
  private arm(): void {
    this.disarm();
    const head = this.queue[0];
    if (!head || !this.ready) return;
    this.timer = setTimeout(() => this.expire(head), this.timeoutMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private expire(job: Job): void {
    if (this.queue[0] !== job) return;
    this.queue.shift();
    const w = this.worker;
    this.worker = null;
    this.ready = false;
    void w?.terminate();
    job.reject(new RenderTimeout(this.timeoutMs));
    if (this.queue.length === 0) return;
    const fresh = this.ensure();
    for (const j of this.queue) this.post(fresh, j);
    this.arm();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL("./render-worker-entry.mjs", import.meta.url));
    w.unref();
    this.ready = false;
    w.on("message", (m: { id: number; value?: unknown; error?: string; ready?: true }) => {
      if (this.worker !== w) return;
      if (m.ready) {
        this.ready = true;
        this.arm();
        return;
      }
      if (this.queue[0]?.id !== m.id) return;
      const job = this.queue.shift()!;
      this.arm();
      if (m.error !== undefined) job.reject(new RenderFailed(m.error));
      else job.resolve(m.value);
    });
    w.on("error", (err) => {
      if (this.worker !== w) return;
      this.worker = null;
      this.fail(err);
    });
    w.on("exit", () => {
      if (this.worker !== w) return;
      this.worker = null;
      this.fail(new Error("render worker exited"));
    });
    this.worker = w;
    return w;
  }

  private fail(err: Error): void {
    this.disarm();
    this.ready = false;
    for (const j of this.queue.splice(0)) j.reject(err);
  }
}
