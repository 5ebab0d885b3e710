import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { PaneTracker } from "../../lib/panes/tracker.ts";
import { capturePanes } from "../../lib/tmux/capture.ts";
import { CommandChannel } from "../../lib/tmux/command-channel.ts";
import { ChangeFeed } from "../../lib/tmux/change-feed.ts";
import { execStats } from "../../lib/tmux/exec.ts";
import { TmuxRuntime } from "../../lib/tmux/runtime.ts";
import { readSnapshot } from "../../lib/tmux/snapshot.ts";
import { readTopology } from "../../lib/tmux/topology.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  // Runtimes and feeds (their control clients) end before the tmux server (TMUX-NOTES).
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup() {
  const tmux = new TestTmux();
  cleanup.push(() => tmux.kill());
  const a = await tmux.newSession("alpha");
  const control = new TmuxRuntime({ socketName: tmux.socketName }, { channel: "control" });
  const exec = new TmuxRuntime({ socketName: tmux.socketName }, { channel: "exec" });
  cleanup.push(() => control.close(), () => exec.close());
  return { tmux, a, control, exec };
}

/** Pids of live `tmux` processes whose parent is this test process. */
function tmuxChildren(): Set<number> {
  const out = new Set<number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      // tmux renames its client process "tmux: client".
      if (comm.startsWith("tmux") && ppid === process.pid) out.add(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

const STREAM = "sh -c 'i=0; while :; do i=$((i+1)); echo \"line $i\"; sleep 0.05; done'";

describe("tmux reads over one control client's command channel", () => {
  it("reads topology, screens and snapshots like exec does, with no process after the connect", async () => {
    const { tmux, a, control, exec } = await setup();
    const b = await tmux.split(a);
    await tmux.type(a, "printf '\\033[31mRED\\033[0m é\\n'");
    await until(async () => (await tmux.capture(a)).includes("RED é"), "the red line");
    await control.read(["display-message", "-p", "warm"]);
    expect(control.controlPid).toBeGreaterThan(0);
    const before = execStats.spawned;
    const topo = await readTopology(control, ["agent_id"]);
    const screens = await capturePanes(control, [a, "%999", b]);
    const snap = await readSnapshot(control, [a, b], ["agent_id"]);
    expect(execStats.spawned - before).toBe(0);
    expect(topo).toEqual(await readTopology(exec, ["agent_id"]));
    expect(screens).toEqual(await capturePanes(exec, [a, "%999", b]));
    expect(screens.get("%999")).toBeNull();
    expect(screens.get(a)!.some((l) => l.includes("\x1b[31mRED"))).toBe(true);
    expect(snap.frames.get(a)).toEqual(screens.get(a));
    expect(control.stats.overControl).toBeGreaterThanOrEqual(4);
  });

  it("gives failures back as the same typed errors", async () => {
    const { control } = await setup();
    await expect(control.read(["capture-pane", "-p", "-t", "%4242"])).rejects.toMatchObject({ code: "PANE_NOT_FOUND" });
    await expect(control.read(["has-session", "-t", "=nope"])).rejects.toMatchObject({ code: "SESSION_NOT_FOUND" });
    await expect(control.read(["display-message", "-p", "one", "two"])).rejects.toMatchObject({ code: "TMUX_COMMAND_FAILED" });
    // The channel is still in step: the next answer is the next command's.
    expect(await control.read(["display-message", "-p", "after"])).toBe("after\n");
    expect(control.stats.retriedOverExec).toBe(0);
  });

  it("round-trips arguments that mean something to tmux's parser, and sends newlines over exec", async () => {
    const { control, exec } = await setup();
    await control.read(["display-message", "-p", "warm"]);
    const tricky = ["it's; a \"test\" \\ $HOME ~ {x} #{session_name} %% ; x", "';' ; ';'", "\\; x", "#{", "tab\there", "é ✳ 0x7f\u007f", ""];
    const before = execStats.spawned;
    for (const arg of tricky) {
      expect(await control.read(["display-message", "-p", arg])).toBe(await exec.read(["display-message", "-p", arg]));
    }
    expect(execStats.spawned - before).toBe(tricky.length);
    // A newline would end the command line: that one command runs as a process instead.
    const spawned = execStats.spawned;
    expect(await control.read(["display-message", "-p", "two\nlines"])).toBe("two\nlines\n");
    // An argument ending in ";" is a separator to exec: it keeps exec's meaning by running there.
    expect(await control.read(["display-message", "-p", "x\\;"])).toBe("x;\n");
    expect(execStats.spawned - spawned).toBe(2);
  });

  it("connects again after its session is killed, serving reads over exec meanwhile", async () => {
    const { tmux, control } = await setup();
    await tmux.newSession("beta");
    await control.read(["display-message", "-p", "warm"]);
    const first = control.controlPid!;
    const clients = await tmux.tmux("list-clients", "-F", "#{client_pid} #{session_name}");
    const mine = clients.split("\n").find((l) => l.startsWith(`${first} `))!.split(" ")[1]!;
    await tmux.tmux("kill-session", "-t", `=${mine}`);
    // Reads keep working throughout (over exec while there is no client); then a new client is there.
    await until(async () => {
      const names = await control.read(["list-sessions", "-F", "#{session_name}"]);
      expect(names.trim()).toBe(mine === "alpha" ? "beta" : "alpha");
      return control.controlPid !== undefined && control.controlPid !== first;
    }, "a new command client");
    const now = await tmux.tmux("list-clients", "-F", "#{client_pid} #{session_name}");
    expect(now).toContain(`${control.controlPid} `);
  });

  it("with no server, answers with the typed error over exec", async () => {
    const tmux = new TestTmux();
    const control = new TmuxRuntime({ socketName: tmux.socketName }, { channel: "control" });
    cleanup.push(() => control.close());
    await expect(control.read(["list-sessions"])).rejects.toMatchObject({ code: "TMUX_SERVER_NOT_RUNNING" });
    expect(control.controlPid).toBeUndefined();
  });

  it("waits out its backoff after a failed connect instead of trying on every read", async () => {
    const tmux = new TestTmux();
    const channel = new CommandChannel({ socketName: tmux.socketName }, { retryMinMs: 60_000 });
    cleanup.push(() => channel.close());
    expect(await channel.client()).toBeNull();
    expect(channel.stats.failedConnects).toBe(1);
    const before = execStats.spawned;
    expect(await channel.client()).toBeNull();
    expect(execStats.spawned - before).toBe(0);
    expect(channel.stats.connects).toBe(1);
  });

  it("retries a read over exec when the client dies while the read is in flight", async () => {
    const { tmux, control, a } = await setup();
    await control.read(["display-message", "-p", "warm"]);
    const client = control.controlPid!;
    const server = Number((await tmux.tmux("display-message", "-p", "#{pid}")).trim());
    // A stopped server answers nothing: the read stays in flight until its client is killed.
    process.kill(server, "SIGSTOP");
    cleanup.push(() => void process.kill(server, "SIGCONT"));
    const read = control.read(["display-message", "-p", "-t", a, "#{pane_id}"]);
    await until(() => control.queueDepth === 0, "the read taken from the queue");
    await new Promise((r) => setImmediate(r));
    process.kill(client, "SIGKILL");
    await until(() => control.controlPid === undefined, "the client gone");
    process.kill(server, "SIGCONT");
    expect(await read).toBe(`${a}\n`);
    expect(control.stats.retriedOverExec).toBe(1);
  });

  it("spawns no tmux process while panes stream and the tracker captures them", async () => {
    const tmux = new TestTmux();
    cleanup.push(() => tmux.kill());
    const first = await tmux.newSession("s1", { command: STREAM });
    const panes = [first, await tmux.split(first, STREAM), await tmux.split(first, STREAM)];
    panes.push(await tmux.newSession("s2", { command: STREAM }));
    const runtime = new TmuxRuntime({ socketName: tmux.socketName }, { channel: "control" });
    const feed = new ChangeFeed(runtime, {});
    const tracker = new PaneTracker(runtime, feed, {
      mode: "push",
      sessions: [],
      userOptions: ["agent_id"],
      colors: true,
      frameIntervalMs: 30,
      topologyRefreshMs: 200,
      poll: { baseIntervalMs: 500, maxIntervalMs: 5000, noChangeThreshold: 4 },
      maxPanes: 100,
    });
    cleanup.push(() => runtime.close(), () => tracker.stop());
    const updates = new Map<string, number>();
    tracker.on("update", (u) => updates.set(u.pane, (updates.get(u.pane) ?? 0) + 1));
    await tracker.start();
    await until(() => panes.every((p) => (updates.get(p) ?? 0) >= 3), "every pane streaming");
    // Settled: one watch client per session plus the command client, all long-lived.
    await until(() => feed.clientCount === 2 && runtime.controlPid !== undefined, "control clients attached");
    const spawnedBefore = execStats.spawned;
    const childrenBefore = tmuxChildren();
    expect(childrenBefore.size).toBe(3);
    const seen = new Set<number>();
    const counts = new Map(updates);
    await until(() => {
      for (const pid of tmuxChildren()) seen.add(pid);
      return panes.every((p) => (updates.get(p) ?? 0) >= (counts.get(p) ?? 0) + 20);
    }, "20 more frames of every pane");
    expect(execStats.spawned - spawnedBefore).toBe(0);
    expect([...seen].sort()).toEqual([...childrenBefore].sort());
    expect(runtime.stats.overControl).toBeGreaterThan(0);
  });
});
