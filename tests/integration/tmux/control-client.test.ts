import { afterEach, describe, expect, it } from "vitest";
import { ControlClient } from "../../../lib/tmux/control-client.ts";
import type { ControlEvent } from "../../../lib/tmux/control-parser.ts";
import { freshName, TestTmux, until } from "../../helpers/tmux.ts";

// A control-mode client on a real tmux server: holding a pane's output back and letting it flow again.

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  // The control client ends before the tmux server (TMUX-NOTES).
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A session whose pane prints a numbered line every 10 ms, watched by one control client that records its events. */
async function setup() {
  const tmux = new TestTmux();
  cleanup.push(() => tmux.kill());
  const session = freshName("held");
  const pane = await tmux.newSession(session, { command: "bash -c 'i=0; while :; do i=$((i+1)); echo line $i; sleep 0.01; done'" });
  const sessionId = (await tmux.tmux("display-message", "-p", "-t", pane, "#{session_id}")).trim();
  const client = new ControlClient({ socketName: tmux.socketName }, sessionId);
  cleanup.push(() => client.close());
  const events: ControlEvent[] = [];
  client.on("event", (ev) => events.push(ev));
  /** The number on the pane's last line, read from tmux. */
  const printed = async () => Math.max(0, ...[...(await tmux.capture(pane)).matchAll(/^line (\d+)$/gm)].map((m) => Number(m[1])));
  return { tmux, pane, client, events, printed };
}

const of = (events: ControlEvent[], pane: string, type: ControlEvent["type"]) => events.filter((e) => "pane" in e && e.pane === pane && e.type === type).length;

describe("ControlClient", () => {
  it("holds a pane's output back until released, and tmux tells both", async () => {
    const { pane, client, events, printed } = await setup();
    await until(() => of(events, pane, "output") > 0, "the pane's output");
    client.hold(pane);
    await until(() => of(events, pane, "pause") === 1, "tmux's %pause for the held pane");
    // Not continued by the client on its own, as it is for a pause tmux makes (pause-after).
    const outputs = of(events, pane, "output");
    const at = await printed();
    await until(async () => (await printed()) >= at + 20, "twenty more lines printed");
    expect(of(events, pane, "output")).toBe(outputs);
    expect(of(events, pane, "continue")).toBe(0);
    client.release(pane);
    await until(() => of(events, pane, "continue") === 1, "tmux's %continue");
    await until(() => of(events, pane, "output") > outputs, "the pane's output told again");
  });

  it("leaves the tmux server running through holds and releases toggled under output", async () => {
    // The same toggles with tmux 3.3a's `refresh-client -A %ID:off`/`on` crashed the server here
    // after 60 to 300 of them (queued output read later from a buffer that had moved on).
    const { tmux, pane, client, events } = await setup();
    await until(() => of(events, pane, "output") > 0, "the pane's output");
    for (let i = 1; i <= 1000; i++) {
      client.hold(pane);
      await new Promise((r) => setImmediate(r));
      client.release(pane);
      // Still there (a crashed server fails this command).
      if (i % 50 === 0) await tmux.tmux("display-message", "-p", "#{pid}");
    }
    await until(() => of(events, pane, "continue") === 1000, "tmux's %continue for every release");
    expect((await tmux.tmux("display-message", "-p", "#{pid}")).trim()).toMatch(/^\d+$/);
    expect(client.alive).toBe(true);
  });
});
