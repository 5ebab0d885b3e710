import { EventEmitter } from "node:events";
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import type { PaneResources, ResourcesPayload } from "../protocol.ts";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

interface Proc {
  ppid: number;
  ticks: number;
  rssBytes: number;
}

/**
 * CPU and memory of each pane's process tree, read from /proc, and the host's load and memory.
 * Samples at most every `intervalMs` and only while someone watches (`setActive`); nothing runs
 * otherwise. Off Linux (no /proc) it reports host figures only.
 */
export class ResourceSampler extends EventEmitter<{ sample: [ResourcesPayload] }> {
  private readonly intervalMs: number;
  private readonly panePids: () => Map<string, number>;
  private timer: NodeJS.Timeout | null = null;
  private prevTicks = new Map<number, number>();
  private prevAt = 0;
  private last: ResourcesPayload | null = null;

  constructor(panePids: () => Map<string, number>, opts: { intervalMs: number }) {
    super();
    this.panePids = panePids;
    this.intervalMs = opts.intervalMs;
  }

  get latest(): ResourcesPayload | null {
    return this.last;
  }

  setActive(active: boolean): void {
    if (active && !this.timer) {
      const tick = () => {
        void this.sample().finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs);
        });
      };
      this.timer = setTimeout(tick, 0);
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
    const procs = await readProcs();
    const children = new Map<number, number[]>();
    for (const [pid, p] of procs) {
      const list = children.get(p.ppid);
      if (list) list.push(pid);
      else children.set(p.ppid, [pid]);
    }
    const dt = this.prevAt ? (now - this.prevAt) / 1000 : 0;
    const panes: Record<string, PaneResources> = {};
    for (const [pane, root] of this.panePids()) {
      if (!procs.has(root)) continue;
      let ticks = 0;
      let rss = 0;
      let count = 0;
      const stack = [root];
      const seen = new Set<number>();
      while (stack.length > 0 && count < 10_000) {
        const pid = stack.pop()!;
        if (seen.has(pid)) continue;
        seen.add(pid);
        const p = procs.get(pid);
        if (!p) continue;
        count++;
        rss += p.rssBytes;
        const prev = this.prevTicks.get(pid);
        if (prev !== undefined) ticks += Math.max(0, p.ticks - prev);
        for (const c of children.get(pid) ?? []) stack.push(c);
      }
      panes[pane] = { cpu: dt > 0 ? round1((ticks / TICKS_PER_SECOND / dt) * 100) : 0, rssBytes: rss, processes: count };
    }
    this.prevTicks = new Map([...procs].map(([pid, p]) => [pid, p.ticks]));
    this.prevAt = now;
    const payload: ResourcesPayload = { at: new Date().toISOString(), host: await host(), panes };
    this.last = payload;
    this.emit("sample", payload);
    return payload;
  }
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
