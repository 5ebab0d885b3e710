import { afterEach, describe, expect, it } from "vitest";
import { FleetConnection } from "../../lib/client/connection.ts";
import { FleetMirror } from "../../lib/client/mirror.ts";
import { startPanecast } from "../helpers/server.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** What the browser gives the connection: a window that says `online`, a document that turns visible. */
function browserLike() {
  const g = globalThis as { window?: EventTarget; document?: EventTarget & { visibilityState: string } };
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: "hidden" });
  g.window = win;
  g.document = doc;
  cleanup.push(() => {
    delete g.window;
    delete g.document;
  });
  return { win, doc };
}

describe("back at once", () => {
  it("reconnects when the network is back or the page visible again, without waiting for the backoff", async () => {
    const tmux = new TestTmux();
    cleanup.push(() => tmux.kill());
    await tmux.newSession("alpha");
    const { app, url } = await startPanecast(tmux);
    cleanup.push(() => app.close());
    const { win, doc } = browserLike();
    // A backoff far longer than the test's waits: only the wake-up can bring it back in time.
    const conn = new FleetConnection(new FleetMirror(), { url, transports: ["websocket"], backoff: { minMs: 120_000, maxMs: 120_000, jitter: 0 } });
    conn.start();
    cleanup.push(() => conn.stop());
    await until(() => conn.status.state === "live", "live");

    const drop = () => {
      for (const s of app.io.of("/").sockets.values()) s.disconnect(true);
    };
    drop();
    await until(() => conn.status.state === "reconnecting", "waiting out the backoff");
    expect(conn.status.nextAttemptAt! - Date.now()).toBeGreaterThan(60_000);
    win.dispatchEvent(new Event("online"));
    await until(() => conn.status.state === "live", "live again after `online`", 5_000);

    drop();
    await until(() => conn.status.state === "reconnecting", "waiting out the backoff again");
    doc.dispatchEvent(new Event("visibilitychange")); // still hidden: nothing to do
    expect(conn.status.state).toBe("reconnecting");
    doc.visibilityState = "visible";
    doc.dispatchEvent(new Event("visibilitychange"));
    await until(() => conn.status.state === "live", "live again once visible", 5_000);
  });
});
