import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capturePanes } from "../../lib/tmux/capture.ts";
import { execStats } from "../../lib/tmux/exec.ts";
import { TmuxRuntime } from "../../lib/tmux/runtime.ts";
import { readSnapshot } from "../../lib/tmux/snapshot.ts";
import { readTopology } from "../../lib/tmux/topology.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const tmux = new TestTmux();
let runtime: TmuxRuntime;
let a: string;
let b: string;

beforeAll(async () => {
  a = await tmux.newSession("alpha");
  b = await tmux.split(a);
  await tmux.tmux("set-option", "-p", "-t", a, "@agent_id", "karo");
  runtime = new TmuxRuntime({ socketName: tmux.socketName });
  await tmux.type(a, "printf '\\033[31mRED\\033[0m plain\\n'");
  await until(async () => (await tmux.capture(a)).includes("RED plain"), "the red line");
});

afterAll(async () => {
  await runtime.close();
  await tmux.kill();
});

describe("tmux core on a real server", () => {
  it("reads the topology in one tmux process, user options included", async () => {
    const before = execStats.spawned;
    const t = await readTopology(runtime, ["agent_id"]);
    expect(execStats.spawned - before).toBe(1);
    const panes = t.sessions[0]!.windows[0]!.panes;
    expect(panes.map((p) => p.id)).toEqual([a, b]);
    expect(panes[0]).toMatchObject({ agentId: "karo", command: "bash", agentType: "shell", width: 80, sessionName: "alpha" });
  });

  it("captures many panes with colours in one tmux process", async () => {
    const before = execStats.spawned;
    const got = await capturePanes(runtime, [a, b]);
    expect(execStats.spawned - before).toBe(1);
    const lines = got.get(a)!;
    expect(lines.some((l) => l.includes("\x1b[31mRED"))).toBe(true);
    expect(got.get(b)).toHaveLength(await paneHeight(b));
  });

  it("reads each pane's title with its screen, in the same process, when asked", async () => {
    await tmux.tmux("select-pane", "-t", b, "-T", "⠸ Tell me something | repo");
    const titles = new Map<string, string>();
    const before = execStats.spawned;
    const got = await capturePanes(runtime, [a, b], { titles });
    expect(execStats.spawned - before).toBe(1);
    expect(titles.get(b)).toBe("⠸ Tell me something | repo");
    expect(titles.has(a)).toBe(true);
    expect(got.get(b)).toHaveLength(await paneHeight(b));
  });

  it("marks a vanished pane null and still reads the panes after it", async () => {
    const got = await capturePanes(runtime, [a, "%999", b]);
    expect(got.get("%999")).toBeNull();
    expect(got.get(a)).not.toBeNull();
    expect(got.get(b)).not.toBeNull();
  });

  it("reads topology and known screens together: one process in steady state", async () => {
    const before = execStats.spawned;
    const snap = await readSnapshot(runtime, [a, b], ["agent_id"]);
    expect(execStats.spawned - before).toBe(1);
    expect([...snap.frames.keys()].sort()).toEqual([a, b].sort());
  });

  it("serializes commands and shares identical reads still waiting in the queue", async () => {
    const before = runtime.stats.coalesced;
    const reads = await Promise.all([
      runtime.read(["display-message", "-p", "one"]),
      runtime.read(["list-sessions", "-F", "#{session_name}"]),
      runtime.read(["list-sessions", "-F", "#{session_name}"]),
      runtime.read(["list-sessions", "-F", "#{session_name}"]),
    ]);
    expect(reads[1]).toBe("alpha\n");
    expect(reads[3]).toBe("alpha\n");
    expect(runtime.stats.coalesced - before).toBe(2);
  });

  it("maps failures to typed errors and keeps stderr for the log", async () => {
    await expect(runtime.read(["capture-pane", "-p", "-t", "%4242"])).rejects.toMatchObject({ code: "PANE_NOT_FOUND" });
    await expect(runtime.read(["has-session", "-t", "=nope"])).rejects.toMatchObject({ code: "SESSION_NOT_FOUND" });
    const dead = new TmuxRuntime({ socketName: `${tmux.socketName}-none` });
    await expect(dead.read(["list-sessions"])).rejects.toMatchObject({ code: "TMUX_SERVER_NOT_RUNNING" });
  });
});

async function paneHeight(id: string): Promise<number> {
  return Number((await tmux.tmux("display-message", "-p", "-t", id, "#{pane_height}")).trim());
}
