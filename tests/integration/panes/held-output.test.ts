import { afterEach, describe, expect, it } from "vitest";
import type { FleetConnection } from "../../../lib/client/connection.ts";
import { mirroredText, startPacedPanes } from "../../helpers/paced-panes.ts";
import { freshName, until } from "../../helpers/tmux.ts";

// A pane at the busy pace has its output held back by tmux (no %output per line) and is read at each
// busy tick instead; it is released when a tick finds it quiet, or when someone watches it closely.
// Real tmux, real server, the real client.

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  // Clients, then panecast (its control clients end first), then the tmux server.
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const setup = (busyMs: number) => startPacedPanes(busyMs, "held", cleanup);

const text = mirroredText;
const numbers = (conn: FleetConnection, pane: string, tag: string) => [...text(conn, pane).matchAll(new RegExp(`^${tag} (\\d+)$`, "gm"))].map((m) => Number(m[1]));
const ticker = (tag: string) => `i=0; while :; do i=$((i+1)); echo ${tag} $i; sleep 0.02; done`;

describe("held output", () => {
  it("delivers a held pane's changes in order with its last line, releases it once quiet, and holds it again when it streams again", async () => {
    const { tmux, app, first, conn } = await setup(300);
    const state = () => app.awareness.monitor.status(first)?.state;
    for (const round of [1, 2]) {
      const [tag, done] = [freshName(`row${round}`), freshName("DONE")];
      await tmux.type(first, `for i in $(seq 1 120); do echo ${tag} $i; sleep 0.02; done; echo ${done}`);
      // Its output is told again after a release: streaming again, it is held again.
      await until(() => app.tracker.isHeld(first), `the streaming pane held (round ${round})`);
      // A shell pane's activity comes from the changes the busy ticks find: running while held.
      if (round === 1) await until(() => app.tracker.isHeld(first) && state() === "running", "the held pane running");
      await until(() => numbers(conn, first, tag).includes(120) && new RegExp(`^${done}$`, "m").test(text(conn, first)), "the last rows on the client's screen");
      const rows = numbers(conn, first, tag);
      expect(rows.length).toBeGreaterThan(5);
      expect(rows).toEqual(rows.map((_, i) => 121 - rows.length + i));
      await until(() => !app.tracker.isHeld(first), `the quiet pane released (round ${round})`);
    }
    await until(() => state() === "quiet", "the pane quiet after its output");
  });

  it("releases a held pane when a page focuses it: its screen follows at the frame pace", async () => {
    // Longer than the test may run: a held pane is not read at a busy tick within it.
    const { tmux, app, first, conn } = await setup(60_000);
    const tag = freshName("tick");
    await tmux.type(first, ticker(tag));
    await until(() => app.tracker.isHeld(first), "the streaming pane held");
    const seen = Math.max(0, ...numbers(conn, first, tag));
    conn.setFocus(first);
    await until(() => !app.tracker.isHeld(first), "the focused pane released");
    await until(() => Math.max(0, ...numbers(conn, first, tag)) >= seen + 20, "the focused pane's ticker climbing on the client");
  });

  it("follows a held pane through a respawn and a new watch client, and drops it when it is killed", async () => {
    const { tmux, app, first, second, conn } = await setup(300);
    await tmux.type(first, ticker(freshName("tick")));
    await until(() => app.tracker.isHeld(first), "the streaming pane held");
    // Respawned with another program: the pane keeps its id (and tmux its hold); its new screen arrives.
    const respawned = freshName("respawned");
    await tmux.tmux("respawn-pane", "-k", "-t", first, "bash", "-c", `${ticker(respawned)}`);
    await until(() => numbers(conn, first, respawned).some((n) => n > 10), "the respawned program's lines on the client");
    // The watch client dies: its successor starts with every pane's output on, and is asked to hold it.
    const watchers = async () =>
      (await tmux.tmux("list-clients", "-F", "#{client_pid} #{client_flags}"))
        .split("\n")
        .filter((l) => l.includes("pause-after"))
        .map((l) => Number(l.split(" ")[0]));
    const [old] = await until(async () => {
      const w = await watchers();
      return w.length === 1 ? w : null;
    }, "one watch client");
    process.kill(old!, "SIGKILL");
    await until(async () => {
      const w = await watchers();
      return w.length === 1 && w[0] !== old;
    }, "a new watch client");
    const seen = Math.max(0, ...numbers(conn, first, respawned));
    await until(() => Math.max(0, ...numbers(conn, first, respawned)) >= seen + 20, "the pane's lines still on the client");
    // Still streaming: held (a tick that found it unchanged for a moment releases it, and its next line holds it again).
    await until(() => app.tracker.isHeld(first), "the streaming pane held on the new client");
    // Killed while held: dropped; the other pane is still read.
    await tmux.tmux("kill-pane", "-t", first);
    await until(() => !conn.mirror.pane(first), "the killed pane gone from the client");
    expect(app.tracker.isHeld(first)).toBe(false);
    const marker = freshName("still");
    await tmux.type(second, `echo ${marker}`);
    await until(() => new RegExp(`^${marker}$`, "m").test(text(conn, second)), "the other pane's output on the client");
  });
});
