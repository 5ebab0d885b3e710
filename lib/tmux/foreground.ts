import { closeSync, openSync, readSync } from "node:fs";
import type { AgentType, Topology } from "../protocol.ts";
import { agentTypeOfProcess, allPanes } from "../topology.ts";

const MAX_READ = 4096;
const MAX_ENTRIES = 4096;

/** At most `MAX_READ` bytes of a /proc file, or null when the process is gone (or this is not Linux). */
function readProc(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(MAX_READ);
    const n = readSync(fd, buf, 0, MAX_READ, 0);
    return buf.subarray(0, n).toString("utf8");
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The foreground process group of the terminal a process sits on (/proc/<pid>/stat field 8, tpgid). */
export function foregroundGroup(pid: number): number | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name may hold spaces and parentheses: fields start after the last ")", at field 3.
  const tpgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[5]);
  return Number.isInteger(tpgid) && tpgid > 0 ? tpgid : pid;
}

/** A process's argv (bounded), or null when it is gone. */
export function processArgv(pid: number): string[] | null {
  const raw = readProc(`/proc/${pid}/cmdline`);
  if (raw === null) return null;
  const argv = raw.replace(/\0+$/, "").split("\0");
  // A process that renamed itself (process.title) may show one space-separated string.
  return argv.length === 1 && argv[0]!.includes(" ") ? argv[0]!.split(" ").filter(Boolean) : argv;
}

/**
 * The agent type of what runs in the foreground of each pane, from /proc: the pane's terminal's
 * foreground process group and its leader's argv. Two small reads per pane per topology read; argv
 * is read again only when the foreground group or tmux's command name changed. Bounded: entries of
 * panes no longer listed are dropped, and at most `MAX_ENTRIES` are kept.
 */
export class ForegroundTypes {
  private readonly cache = new Map<number, { group: number; command: string; type: AgentType }>();
  private readonly checked = new Map<number, number>();
  /** Output that came within a pane's window, looked at once the window ends. */
  private readonly later = new Map<number, ReturnType<typeof setTimeout>>();

  /**
   * The pane's agent type when it differs from `known` (else null), looked at no more than once per `everyMs` per
   * pane: called on the pane's output, so a program started in a shell is typed at output latency
   * rather than at the next topology read (argv re-read too: a process may rename itself). Output
   * within the window calls `again` once the window ends (trailing edge): an agent's last frame and the
   * shell's prompt after its exit often come within one window, and nothing may print after them.
   */
  changed(panePid: number, command: string, known: AgentType, now: number, again?: () => void, everyMs = 500): AgentType | null {
    const wait = (this.checked.get(panePid) ?? -Infinity) + everyMs - now;
    if (wait > 0) {
      if (again && !this.later.has(panePid)) {
        const t = setTimeout(() => {
          this.later.delete(panePid);
          again();
        }, wait);
        t.unref?.();
        this.later.set(panePid, t);
      }
      return null;
    }
    this.checked.delete(panePid);
    this.checked.set(panePid, now);
    if (this.checked.size > MAX_ENTRIES) this.checked.delete(this.checked.keys().next().value!);
    const type = this.typeOf(panePid, command, true);
    return type !== null && type !== known ? type : null;
  }

  /** The type, or null when /proc cannot say (the process is gone, or not Linux). */
  typeOf(panePid: number, command: string, reread = false): AgentType | null {
    const group = foregroundGroup(panePid);
    if (group === null) return null;
    const hit = this.cache.get(panePid);
    if (!reread && hit && hit.group === group && hit.command === command) return hit.type;
    const argv = processArgv(group) ?? (group !== panePid ? processArgv(panePid) : null);
    if (argv === null) return null;
    const type = agentTypeOfProcess(argv, command);
    this.cache.delete(panePid);
    this.cache.set(panePid, { group, command, type });
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return type;
  }

  /** Forgets panes whose process is not in `live`. */
  keep(live: ReadonlySet<number>): void {
    for (const pid of this.cache.keys()) if (!live.has(pid)) this.cache.delete(pid);
    for (const pid of this.checked.keys()) if (!live.has(pid)) this.checked.delete(pid);
    for (const [pid, t] of this.later) {
      if (live.has(pid)) continue;
      clearTimeout(t);
      this.later.delete(pid);
    }
  }

  /** Drops the looks still to come. */
  stop(): void {
    for (const t of this.later.values()) clearTimeout(t);
    this.later.clear();
  }
}

/**
 * Sets each pane's agent type from its foreground process rather than its title (an npm-installed
 * agent runs as `node`; a native Claude Code shows its version as the command). Where /proc cannot
 * say, the title-based guess stands.
 */
export function applyProcessTypes(topo: Topology, types: ForegroundTypes): void {
  const live = new Set<number>();
  for (const p of allPanes(topo)) {
    if (p.pid === null || p.dead) continue;
    live.add(p.pid);
    const type = types.typeOf(p.pid, p.command);
    if (type !== null) p.agentType = type;
  }
  types.keep(live);
}
