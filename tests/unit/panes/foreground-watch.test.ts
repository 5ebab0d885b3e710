import { afterEach, describe, expect, it, vi } from "vitest";
import { ForegroundWatch } from "../../../lib/panes/foreground-watch.ts";
import type { AgentType, PaneInfo } from "../../../lib/protocol.ts";

/** /proc as the watch asks it: the program in the foreground now, looked at most once per 500 ms. */
class Proc {
  program: AgentType = "gemini";
  looks = 0;
  private last: number | undefined;
  changed(_pid: number, _command: string, known: AgentType, now: number, everyMs = 500): AgentType | null {
    if (this.last !== undefined && now - this.last < everyMs) return null;
    this.last = now;
    this.looks++;
    return this.program !== known ? this.program : null;
  }
  checkedAt(): number | undefined {
    return this.last;
  }
}

const pane = (): PaneInfo => ({ id: "%1", index: 0, sessionId: "$1", sessionName: "s", windowId: "@1", windowIndex: 0, title: "", command: "node", agentType: "gemini", agentId: null, width: 80, height: 24, active: true, dead: false, pid: 42, cwd: "/", options: {} });

afterEach(() => {
  vi.useRealTimers();
});

describe("ForegroundWatch", () => {
  it("looks again at the end of a window whose output came unchecked: the shell prompt right after an agent's last output types the pane", () => {
    vi.useFakeTimers({ now: 0, toFake: ["setTimeout", "clearTimeout", "performance"] });
    const proc = new Proc();
    const info = pane();
    const changed: string[] = [];
    const watch = new ForegroundWatch(proc, () => info, (id) => changed.push(id));
    // The agent's last output: looked at, still the agent.
    expect(watch.check("%1", info, performance.now())).toBe(false);
    // It exits; the shell draws its prompt 20 ms later, inside the window: not looked at then.
    vi.advanceTimersByTime(20);
    proc.program = "shell";
    expect(watch.check("%1", info, performance.now())).toBe(false);
    expect(proc.looks).toBe(1);
    expect(info.agentType).toBe("gemini");
    // No more output: the window's end looks again.
    vi.advanceTimersByTime(500);
    expect(proc.looks).toBe(2);
    expect(info.agentType).toBe("shell");
    expect(changed).toEqual(["%1"]);
    watch.stop();
  });

  it("types a pane at once when the window allows, and plans no second look when nothing came unchecked", () => {
    vi.useFakeTimers({ now: 0, toFake: ["setTimeout", "clearTimeout", "performance"] });
    const proc = new Proc();
    proc.program = "shell";
    const info = pane();
    const changed: string[] = [];
    const watch = new ForegroundWatch(proc, () => info, (id) => changed.push(id));
    expect(watch.check("%1", info, performance.now())).toBe(true);
    expect(info.agentType).toBe("shell");
    vi.advanceTimersByTime(2000);
    expect(proc.looks).toBe(1);
    expect(changed).toEqual([]);
  });

  it("plans no look for a pane gone or forgotten", () => {
    vi.useFakeTimers({ now: 0, toFake: ["setTimeout", "clearTimeout", "performance"] });
    const proc = new Proc();
    const info = pane();
    let known: PaneInfo | undefined = info;
    const watch = new ForegroundWatch(proc, () => known, () => undefined);
    watch.check("%1", info, performance.now());
    vi.advanceTimersByTime(10);
    watch.check("%1", info, performance.now());
    known = undefined;
    vi.advanceTimersByTime(600);
    expect(proc.looks).toBe(1);
    watch.check("%1", info, performance.now());
    vi.advanceTimersByTime(10);
    watch.check("%1", info, performance.now());
    watch.forget("%1");
    vi.advanceTimersByTime(600);
    expect(proc.looks).toBe(2);
  });
});
