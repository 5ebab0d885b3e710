import { afterEach, describe, expect, it } from "vitest";
import { mirroredText, startPacedPanes } from "../../helpers/paced-panes.ts";
import { freshName, until } from "../../helpers/tmux.ts";

// A pane that keeps printing is read once per watch.busy_interval_ms; a pane a page shows in its
// focused view, or one typed into, keeps the frame pace. Real tmux, real server, the real client.

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  // Clients, then panecast (its control clients end first), then the tmux server.
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const setup = (busyMs: number) => startPacedPanes(busyMs, "busy", cleanup);

const text = mirroredText;
const ticker = (tag: string) => `i=0; while :; do i=$((i+1)); echo ${tag} $i; sleep 0.05; done`;

describe("busy pace", () => {
  it("delivers a pane that keeps printing at the busy pace, in order, its last line included", async () => {
    const { tmux, first, conn } = await setup(300);
    const done = freshName("DONE");
    await tmux.type(first, `for i in $(seq 1 60); do echo row $i; sleep 0.02; done; echo ${done}`);
    // The trailing edge: the screen after the last output reaches the client.
    await until(() => /^row 60$/m.test(text(conn, first)) && new RegExp(`^${done}$`, "m").test(text(conn, first)), "the last rows on the client's screen");
    const rows = [...text(conn, first).matchAll(/^row (\d+)$/gm)].map((m) => Number(m[1]));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows).toEqual(rows.map((_, i) => 61 - rows.length + i));
  });

  it("keeps the frame pace for a pane the page shows in its focused view and for one typed into, while another streaming pane waits", async () => {
    // Longer than the test may run: a streaming pane watched by nobody is not read again within it.
    const { tmux, first, second, conn } = await setup(60_000);
    conn.setFocus(first);
    const [a, b] = [freshName("focused"), freshName("other")];
    await Promise.all([tmux.type(first, ticker(a)), tmux.type(second, ticker(b))]);
    const counter = (pane: string, tag: string) => Math.max(0, ...[...text(conn, pane).matchAll(new RegExp(`^${tag} (\\d+)$`, "gm"))].map((m) => Number(m[1])));
    // The focused pane's counter climbs on the client, reading it again and again.
    await until(() => counter(first, a) >= 20, "the focused pane's ticker at 20 on the client");
    const otherSeen = counter(second, b);
    // Typed into through panecast: its screen is read at the frame pace again, so the echo shows.
    const marker = freshName("typed");
    const sent = await conn.send({ pane: second, text: marker });
    expect(sent).toMatchObject({ data: { verified: true } });
    await until(() => text(conn, second).includes(marker), "the typed text's echo on the client");
    expect(counter(second, b)).toBeGreaterThan(otherSeen);
  });
});
