import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../../lib/app.ts";
import type { AgentStatus, PaneInfo } from "../../../lib/protocol.ts";
import { startPanecast } from "../../helpers/server.ts";
import { TestTmux, until } from "../../helpers/tmux.ts";

const tmux = new TestTmux();
const dir = mkdtempSync(path.join(tmpdir(), "panecast-proc-"));
let app: PanecastApp;
const statuses: AgentStatus[] = [];
let n = 0;
/** A fresh session name per try: a retried test starts from its own panes. */
const fresh = (name: string) => `${name}-${++n}`;

/** A script where npm puts Codex: `node …/node_modules/@openai/codex/bin/codex.js`, as the real one runs. */
const codex = path.join(dir, "node_modules", "@openai", "codex", "bin", "codex.js");

/** Codex again, one that says goodbye and quits at once (its last frame and the shell's prompt come together). */
const quitter = path.join(dir, "node_modules", "@openai", "codex", "bin", "quit.js");

beforeAll(async () => {
  mkdirSync(path.dirname(codex), { recursive: true });
  writeFileSync(quitter, 'setInterval(() => console.log("tick", Date.now()), 100);\nprocess.stdin.on("data", () => { console.log("bye"); setTimeout(() => process.exit(0), 20); });\n');
  // Prints a line a second and exits on its own when told (a line on stdin), like an agent quitting.
  writeFileSync(codex, 'setInterval(() => console.log("tick", Date.now()), 1000);\nprocess.stdin.on("data", () => process.exit(0));\n');
  await tmux.newSession("base");
  ({ app } = await startPanecast(tmux));
  app.awareness.monitor.on("status", (s) => statuses.push(s));
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
});

const info = (pane: string): PaneInfo | undefined => app.tracker.pane(pane);
const states = (pane: string) => statuses.filter((s) => s.pane === pane).map((s) => `${s.state}/${s.agentType}`);

describe("agent type from the foreground process", () => {
  it("a node script under @openai/codex started from a shell is codex; its exit is exited until the pane runs something new", async () => {
    const pane = await tmux.newSession(fresh("codex"));
    await until(() => info(pane)?.agentType === "shell", "the shell");
    // Its first state told as a shell's, before codex starts (on a loaded machine the first status
    // could otherwise already be codex's).
    await until(() => app.awareness.monitor.status(pane)?.agentType === "shell", "a status naming the shell");
    await tmux.type(pane, `${process.execPath} ${codex}`);
    // tmux names the program `node`; its type comes from its argv. (A frame read may type it before
    // the topology read that brings the new command name: wait for that read.)
    await until(() => info(pane)?.command === "node", "tmux's command name for it");
    expect(info(pane)!.agentType).toBe("codex");
    await until(() => app.awareness.monitor.status(pane)?.agentType === "codex", "a status naming codex");
    // It quits to the shell: exited, and it stays so while the shell sits at its prompt.
    await tmux.tmux("send-keys", "-t", pane, "Enter");
    await until(() => app.awareness.monitor.status(pane)?.state === "exited", "exited");
    await tmux.type(pane, "echo still here");
    await until(async () => (await tmux.capture(pane)).includes("still here\n"), "the echo");
    expect(app.awareness.monitor.status(pane)?.state).toBe("exited");
    // Something new in the foreground ends it: `top` is no agent, so running or quiet.
    await tmux.type(pane, "top -d 1");
    await until(() => info(pane)?.agentType === "other", "top");
    await until(() => ["running", "quiet"].includes(app.awareness.monitor.status(pane)?.state ?? ""), "top's own state");
    const seq = states(pane).filter((s, i, all) => i === 0 || s !== all[i - 1]);
    expect(seq[0]).toMatch(/^(quiet|running)\/shell$/);
    expect(seq).toContain("exited/shell");
    expect(seq.indexOf("exited/shell")).toBeGreaterThan(seq.findIndex((s) => s.endsWith("/codex")));
    expect(seq.at(-1)).toMatch(/^(quiet|running)\/other$/);
    await tmux.tmux("send-keys", "-t", pane, "q");
  });
});

describe("an agent that quits right after printing", () => {
  it("is exited from the pane's last output, not from the next topology read", async () => {
    // The foreground program is looked at on output, at most twice a second; the shell's prompt came
    // within that look's half second. The topology is read again only after a minute here, and no
    // window is renamed, so only the look after the half second can tell the exit in time.
    const t = new TestTmux();
    const settings = path.join(dir, "slow-topology.yaml");
    writeFileSync(settings, "watch:\n  topology_refresh_ms: 60000\n");
    await t.newSession("base");
    await t.tmux("set-option", "-g", "automatic-rename", "off");
    const { app: slow } = await startPanecast(t, ["--config", settings]);
    try {
      const pane = await t.newSession(fresh("quits"));
      await until(() => slow.tracker.pane(pane)?.agentType === "shell", "the shell");
      await t.type(pane, `${process.execPath} ${quitter}`);
      await until(() => slow.awareness.monitor.status(pane)?.agentType === "codex", "codex");
      await t.tmux("send-keys", "-t", pane, "Enter");
      await until(async () => (await t.capture(pane)).includes("bye\n"), "the goodbye");
      await until(() => slow.awareness.monitor.status(pane)?.state === "exited", "exited", 10_000);
    } finally {
      await slow.close();
      await t.kill();
    }
  });
});

describe("non-agent panes: running/quiet with hysteresis", () => {
  it("a busy loop and a top pane each settle into running and do not flip while they print", async () => {
    const loop = await tmux.newSession(fresh("loop"), { command: "bash -c 'while :; do date +%s%N; sleep 0.2; done'" });
    const top = await tmux.newSession(fresh("top"), { command: "top -d 1" });
    const updates = new Map<string, number>();
    app.tracker.on("update", (u) => updates.set(u.pane, (updates.get(u.pane) ?? 0) + 1));
    await until(() => app.awareness.monitor.status(loop)?.state === "running", "the loop running", 20_000);
    await until(() => app.awareness.monitor.status(top)?.state === "running", "top running", 20_000);
    // Watch a good number of further screen changes of each: no state change may come with them.
    const from = { loop: updates.get(loop) ?? 0, top: updates.get(top) ?? 0, statuses: statuses.length };
    await until(() => (updates.get(loop) ?? 0) >= from.loop + 15 && (updates.get(top) ?? 0) >= from.top + 5, "more output", 30_000);
    expect(statuses.slice(from.statuses).filter((s) => s.pane === loop || s.pane === top)).toEqual([]);
    for (const p of [loop, top]) {
      const seq = states(p);
      expect(seq.at(-1)).toMatch(/^running\//);
      expect(seq.every((s) => /^(running|quiet)\//.test(s))).toBe(true);
      expect(seq.length).toBeLessThanOrEqual(2);
    }
    // Their changes are pane.activity events, off the default stream.
    const ev = app.awareness.events.since(undefined).events.filter((e) => e.pane === loop);
    expect(ev.filter((e) => e.type === "agent.status")).toEqual([]);
    expect(ev.some((e) => e.type === "pane.activity" && e.data.state === "running")).toBe(true);
  });
});
