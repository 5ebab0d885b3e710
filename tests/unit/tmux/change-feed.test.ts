import { EventEmitter, once } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChangeFeed, type ChangeFeedOptions, type FeedClient, type FeedRuntime } from "../../../lib/tmux/change-feed.ts";
import type { ControlClientEvents, ControlClientOptions } from "../../../lib/tmux/control-client.ts";
import { ControlParser } from "../../../lib/tmux/control-parser.ts";
import { TmuxServerNotRunning } from "../../../lib/tmux/errors.ts";

// The change feed through fake ports: a runtime that lists sessions held in memory (or says the server
// is down), and control clients that parse the control-mode lines a test writes to them, as tmux's would.

class FakeRuntime implements FeedRuntime {
  readonly socket = { socketName: "never-used" };
  sessions: Array<{ id: string; name: string }> = [];
  down = false;
  readonly calls: string[][] = [];

  async read(args: readonly string[]): Promise<string> {
    this.calls.push([...args]);
    if (this.down) throw new TmuxServerNotRunning("no server running on /tmp/fake");
    return this.sessions.map((s) => `${s.id}\u001f${s.name}\n`).join("");
  }
}

class FakeClient extends EventEmitter<ControlClientEvents> implements FeedClient {
  readonly parser = new ControlParser();
  closed = false;
  constructor(
    readonly sessionId: string,
    readonly opts: ControlClientOptions,
  ) {
    super();
  }
  /** What tmux would print on this client's stdout. */
  print(text: string): void {
    for (const ev of this.parser.push(Buffer.from(text))) this.emit("event", ev);
  }
  /** The client process ends on its own (session killed, server gone). */
  die(): void {
    this.emit("closed", { code: 0, expected: false });
  }
  /** The panes held, in the order asked (`-%3` for a release). */
  readonly holds: string[] = [];
  hold(pane: string): void {
    this.holds.push(pane);
  }
  release(pane: string): void {
    this.holds.push(`-${pane}`);
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.emit("closed", { code: 0, expected: true });
  }
}

const feeds: ChangeFeed[] = [];
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((f) => f.stop()));
});

function setup(opts: ChangeFeedOptions = {}): { runtime: FakeRuntime; clients: FakeClient[]; feed: ChangeFeed } {
  const runtime = new FakeRuntime();
  const clients: FakeClient[] = [];
  const feed = new ChangeFeed(runtime, { retryMinMs: 1, retryMaxMs: 4, settleMs: 1, ...opts }, (id, o) => {
    const c = new FakeClient(id, o);
    clients.push(c);
    return c;
  });
  feeds.push(feed);
  return { runtime, clients, feed };
}

const live = (clients: FakeClient[]) => clients.filter((c) => !c.closed).map((c) => c.sessionId);

describe("ChangeFeed", () => {
  it("attaches one client per session and turns %output and %pause lines into a pane's output", async () => {
    const { runtime, clients, feed } = setup();
    runtime.sessions = [
      { id: "$1", name: "work" },
      { id: "$2", name: "play" },
    ];
    const attached: string[] = [];
    feed.on("attached", (s) => attached.push(s));
    await feed.start();
    expect(attached).toEqual(["$1", "$2"]);
    expect(live(clients)).toEqual(["$1", "$2"]);
    expect(feed.state).toBe("up");
    expect(clients[0]!.opts.pauseAfterSec).toBe(5);
    // Sessions listed with an argument array, never a shell line.
    expect(runtime.calls[0]).toEqual(["list-sessions", "-F", "#{session_id}\u001f#{session_name}"]);

    const out: string[] = [];
    feed.on("output", (p) => out.push(p));
    clients[0]!.print("%output %3 hello\\015\\012\n%pause %4\n");
    clients[1]!.print("%output %7 split across ");
    expect(out).toEqual(["%3", "%4"]);
    clients[1]!.print("reads\n");
    expect(out).toEqual(["%3", "%4", "%7"]);
  });

  it("holds a pane's output back on each client its output came through, again on a new one, and tells when tmux continues it", async () => {
    const { runtime, clients, feed } = setup();
    runtime.sessions = [
      { id: "$1", name: "work" },
      { id: "$2", name: "play" },
    ];
    await feed.start();
    // %3's window is linked into both sessions; %4 printed only in the first; %9 never printed.
    clients[0]!.print("%output %3 a\n%output %4 b\n");
    clients[1]!.print("%output %3 a\n");
    for (const p of ["%3", "%4", "%9"]) feed.hold(p);
    expect(clients.map((c) => c.holds)).toEqual([["%3", "%4"], ["%3"]]);
    feed.release("%3");
    expect(clients.map((c) => c.holds)).toEqual([
      ["%3", "%4", "-%3"],
      ["%3", "-%3"],
    ]);
    const continued: string[] = [];
    feed.on("continued", (p) => continued.push(p));
    clients[1]!.print("%continue %3\n");
    expect(continued).toEqual(["%3"]);
    // A pane that went away: released, and its clients forgotten.
    feed.forget("%4");
    feed.hold("%4");
    expect(clients[0]!.holds).toEqual(["%3", "%4", "-%3", "-%4"]);
    // A client that closed is not asked any more.
    clients[1]!.die();
    feed.hold("%3");
    expect(clients[1]!.holds).toEqual(["%3", "-%3"]);
  });

  it("reports a window added as a structure change", async () => {
    const { runtime, clients, feed } = setup();
    runtime.sessions = [{ id: "$1", name: "work" }];
    await feed.start();
    const structure = once(feed, "structure");
    clients[0]!.print("%window-add @5\n");
    await structure;
  });

  it("watches only the sessions its filter names, and one sentinel session when none of them is alive", async () => {
    const { runtime, clients, feed } = setup({ sessions: ["agent-*"] });
    runtime.sessions = [
      { id: "$1", name: "agent-a" },
      { id: "$2", name: "play" },
      { id: "$3", name: "agent-b" },
    ];
    await feed.start();
    expect(live(clients)).toEqual(["$1", "$3"]);

    const other = setup({ sessions: ["agent-*"] });
    other.runtime.sessions = [
      { id: "$2", name: "play" },
      { id: "$4", name: "more" },
    ];
    await other.feed.start();
    // Nothing watched is alive: one client still hears sessions come and go.
    expect(live(other.clients)).toEqual(["$2"]);

    // A watched session appears: after %sessions-changed the feed attaches to it and drops the sentinel.
    other.runtime.sessions.push({ id: "$5", name: "agent-c" });
    const attached = once(other.feed, "attached");
    other.clients[0]!.print("%sessions-changed\n");
    expect(await attached).toEqual(["$5"]);
    expect(live(other.clients)).toEqual(["$5"]);
  });

  it("reports the server down, retries, and reattaches when it is back", async () => {
    const { runtime, clients, feed } = setup();
    runtime.down = true;
    const down = once(feed, "state");
    await feed.start();
    expect(await down).toEqual(["down"]);
    expect(clients).toHaveLength(0);

    runtime.down = false;
    runtime.sessions = [{ id: "$1", name: "work" }];
    const up = once(feed, "state");
    const attached = once(feed, "attached");
    expect(await up).toEqual(["up"]);
    expect(await attached).toEqual(["$1"]);
    expect(feed.clientCount).toBe(1);
  });

  it("drops every client when the server goes away, and follows a client that ends on its own", async () => {
    const { runtime, clients, feed } = setup();
    runtime.sessions = [
      { id: "$1", name: "work" },
      { id: "$2", name: "play" },
    ];
    await feed.start();

    // Session $2 was killed: its client ends; the feed re-lists and does not attach to it again.
    runtime.sessions = [{ id: "$1", name: "work" }];
    const structure = once(feed, "structure");
    clients[1]!.die();
    await structure;
    expect(feed.clientCount).toBe(1);
    expect(clients.map((c) => c.sessionId)).toEqual(["$1", "$2"]);

    // The whole server went: its last client ends, the feed reports down and holds no client.
    runtime.down = true;
    const down = once(feed, "state");
    clients[0]!.die();
    expect(await down).toEqual(["down"]);
    expect(feed.clientCount).toBe(0);
  });

  it("closes its clients when stopped, and does not reconnect after", async () => {
    const { runtime, clients, feed } = setup();
    runtime.sessions = [{ id: "$1", name: "work" }];
    await feed.start();
    const reads = runtime.calls.length;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    await feed.stop();
    expect(clients[0]!.closed).toBe(true);
    expect(feed.clientCount).toBe(0);
    clients[0]!.print("%sessions-changed\n");
    clients[0]!.die();
    // What a late client reports after stop plans no new listing: no timer is left behind.
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
    expect(runtime.calls.length).toBe(reads);
    expect(clients).toHaveLength(1);
  });
});
