// CPU and memory of processes from /proc, for benchmarks (Linux only).
import { readdirSync, readFileSync } from "node:fs";

/** clock ticks per second (USER_HZ); 100 on every Linux this runs on. */
export const HZ = 100;

function statFields(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  } catch {
    return null;
  }
}

/** utime + stime of the process itself. */
export function ownTicks(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) : 0;
}

/**
 * CPU ticks of a process and everything it started: its own utime+stime, cutime+cstime for children
 * it has reaped (short-lived git and tmux processes), and the same for its live children, recursively.
 * The difference of two readings is the tree's CPU in between: a child that ends in the meantime moves
 * from the live sum into the parent's cutime/cstime.
 */
export function treeTicks(pid: number): number {
  const f = statFields(pid);
  if (!f) return 0;
  let ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  for (const child of childrenOf(pid)) ticks += treeTicks(child);
  return ticks;
}

export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f && Number(f[1]) === pid) out.push(Number(name));
  }
  return out;
}

export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU ticks of a process's threads: the main thread, and the rest (Node names them all "node"). */
export interface ThreadTicks {
  /** The main (JavaScript) thread: user and system time; main-thread GC pauses are part of it. */
  mainUser: number;
  mainSys: number;
  /** Every other thread: V8's platform workers (concurrent GC, background compiles), libuv's pool. */
  other: number;
}

export function threadTicks(pid: number): ThreadTicks {
  const out: ThreadTicks = { mainUser: 0, mainSys: 0, other: 0 };
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    } catch {
      continue; // the thread ended
    }
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const user = Number(f[11]);
    const sys = Number(f[12]);
    if (Number(tid) === pid) {
      out.mainUser += user;
      out.mainSys += sys;
    } else out.other += user + sys;
  }
  return out;
}

/** CPU ticks of everything a process started: reaped children (its cutime+cstime) and live ones with theirs. */
export function childTicks(pid: number): number {
  const f = statFields(pid);
  if (!f) return 0;
  let ticks = Number(f[13]) + Number(f[14]);
  for (const child of childrenOf(pid)) ticks += treeTicks(child);
  return ticks;
}
