import { EventEmitter } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import type { PaneResources, ResourcesPayload } from "../protocol.ts";
import type { Audience } from "./audience.ts";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

interface Proc {
  ppid: number;
  ticks: number;
  rssBytes: number;
}

/**
 * CPU and memory of each pane's process tree, read from /proc, and the host's load and memory.
 * Samples at most every `intervalMs`, only while someone watches (`setActive`), and only the panes
 * some connected client can see (the `audience`); with no client left it stops until woken again.
 * While no pane uses CPU it backs off to `maxIntervalMs`.
 * Off Linux (no /proc) it reports host figures only.
 */
export class ResourceSampler extends EventEmitter<{ sample: [ResourcesPayload] }> {
  private readonly intervalMs: number;
  private readonly maxIntervalMs: number;
  private readonly panePids: () => Map<string, number>;
  private readonly audience: Audience;
  private timer: NodeJS.Timeout | null = null;
  /** The wait before the next sample: doubles while every pane sampled is idle, up to maxIntervalMs. */
  private waitMs: number;
  private sampling = false;
  private prevTicks = new Map<number, number>();
  private prevAt = 0;
  private last: ResourcesPayload | null = null;

  /** Process trees walked so far (one per visible pane per sample), for tests and metrics. */
  readonly stats = { samples: 0, trees: 0 };

  /**
   * `intervalMs` while some pane uses CPU; while every pane sampled used none, the wait doubles up to
   * `maxIntervalMs` (default: no back-off), and `wake()` (a pane printed) brings it back.
   */
  constructor(panePids: () => Map<string, number>, opts: { intervalMs: number; maxIntervalMs?: number; audience: Audience }) {
    super();
    this.panePids = panePids;
    this.intervalMs = opts.intervalMs;
    this.maxIntervalMs = Math.max(opts.intervalMs, opts.maxIntervalMs ?? opts.intervalMs);
    this.waitMs = opts.intervalMs;
    this.audience = opts.audience;
  }

  /** The wait before the next sample. */
  get nextIntervalMs(): number {
    return this.waitMs;
  }

  /**
   * A pane printed: something runs, so sample at the base interval again. A sample already planned
   * further out than that is brought forward.
   */
  wake(): void {
    if (this.waitMs === this.intervalMs) return;
    this.waitMs = this.intervalMs;
    // While a sample runs, its end plans the next one.
    if (this.timer && !this.sampling) {
      clearTimeout(this.timer);
      this.timer = setTimeout(this.tick, this.intervalMs);
    }
  }

  get latest(): ResourcesPayload | null {
    return this.last;
  }

  /** Whether it samples now. */
  get running(): boolean {
    return this.timer !== null;
  }

  private readonly tick = (): void => {
    // Nobody left to show it to (a disconnect not yet reported): stop until `setActive(true)`.
    if (this.audience.clientCount() === 0) return void (this.timer = null);
    this.sampling = true;
    void this.sample().finally(() => {
      this.sampling = false;
      if (this.timer) this.timer = setTimeout(this.tick, this.waitMs);
    });
  };

  setActive(active: boolean): void {
    if (active && !this.timer && this.audience.clientCount() > 0) {
      this.waitMs = this.intervalMs;
      this.timer = setTimeout(this.tick, 0);
    } else if (!active && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  stop(): void {
    this.setActive(false);
  }

  async sample(): Promise<ResourcesPayload> {
    const now = performance.now();
    const dt = this.prevAt ? (now - this.prevAt) / 1000 : 0;
    const panes: Record<string, PaneResources> = {};
    const ticksNow = new Map<number, number>();
    // Walk only the panes' own process trees (a few small reads each), not all of /proc; where the
    // kernel has no `children` files, read every process once instead.
    const visible = this.audience.visiblePanes();
    const pids = [...this.panePids()].filter(([pane]) => !visible || visible.has(pane));
    const all = pids.length === 0 || childrenSupported() ? null : await readProcs();
    this.stats.samples++;
    for (const [pane, root] of pids) {
      this.stats.trees++;
      const tree = all ? treeFrom(all, root) : walkTree(root);
      if (tree.size === 0) continue;
      let ticks = 0;
      let rss = 0;
      for (const [pid, p] of tree) {
        rss += p.rssBytes;
        ticksNow.set(pid, p.ticks);
        const prev = this.prevTicks.get(pid);
        if (prev !== undefined) ticks += Math.max(0, p.ticks - prev);
      }
      panes[pane] = { cpu: dt > 0 ? round1((ticks / TICKS_PER_SECOND / dt) * 100) : 0, rssBytes: rss, processes: tree.size };
    }
    this.prevTicks = ticksNow;
    this.prevAt = now;
    // An idle fleet (no pane used CPU since the last sample) is sampled less and less often.
    const idle = dt > 0 && Object.values(panes).every((p) => p.cpu === 0);
    this.waitMs = idle ? Math.min(this.maxIntervalMs, this.waitMs * 2) : this.intervalMs;
    const payload: ResourcesPayload = { at: new Date().toISOString(), host: await host(), panes };
    this.last = payload;
    this.emit("sample", payload);
    return payload;
  }
}

const MAX_TREE = 10_000;

let children: boolean | null = null;
function childrenSupported(): boolean {
  if (children === null) {
    try {
      readFileSync(`/proc/${process.pid}/task/${process.pid}/children`);
      children = true;
    } catch {
      children = false;
    }
  }
  return children;
}

function readStat(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields start after the last ")".
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), rssBytes: Number(f[21]) * PAGE_BYTES };
  } catch {
    return null; // the process ended while we looked
  }
}

/** A process and its descendants, through /proc/<pid>/task/<tid>/children. */
function walkTree(root: number): Map<number, Proc> {
  const out = new Map<number, Proc>();
  const stack = [root];
  while (stack.length > 0 && out.size < MAX_TREE) {
    const pid = stack.pop()!;
    if (out.has(pid)) continue;
    const p = readStat(pid);
    if (!p) continue;
    out.set(pid, p);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").split(" ")) if (c) stack.push(Number(c));
      } catch {
        // the thread ended
      }
    }
  }
  return out;
}

function treeFrom(all: Map<number, Proc>, root: number): Map<number, Proc> {
  const kids = new Map<number, number[]>();
  for (const [pid, p] of all) {
    const list = kids.get(p.ppid);
    if (list) list.push(pid);
    else kids.set(p.ppid, [pid]);
  }
  const out = new Map<number, Proc>();
  const stack = [root];
  while (stack.length > 0 && out.size < MAX_TREE) {
    const pid = stack.pop()!;
    const p = all.get(pid);
    if (!p || out.has(pid)) continue;
    out.set(pid, p);
    for (const c of kids.get(pid) ?? []) stack.push(c);
  }
  return out;
}

async function readProcs(): Promise<Map<number, Proc>> {
  const out = new Map<number, Proc>();
  let names: string[];
  try {
    names = await readdir("/proc");
  } catch {
    return out;
  }
  await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n))
      .map(async (n) => {
        try {
          const stat = await readFile(`/proc/${n}/stat`, "utf8");
          // The command name may hold spaces and parentheses: fields start after the last ")".
          const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
          out.set(Number(n), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), rssBytes: Number(f[21]) * PAGE_BYTES });
        } catch {
          // The process ended while we looked.
        }
      }),
  );
  return out;
}

async function host(): Promise<ResourcesPayload["host"]> {
  const [l1 = 0, l5 = 0, l15 = 0] = os.loadavg();
  let total = os.totalmem();
  let available = os.freemem();
  try {
    const mem = await readFile("/proc/meminfo", "utf8");
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(mem)?.[1] ?? NaN) * 1024;
    if (Number.isFinite(kb("MemTotal"))) total = kb("MemTotal");
    if (Number.isFinite(kb("MemAvailable"))) available = kb("MemAvailable");
  } catch {
    // Not Linux: os figures stand.
  }
  return { load: [round1(l1), round1(l5), round1(l15)], cpus: os.cpus().length, memTotalBytes: total, memAvailableBytes: available };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
