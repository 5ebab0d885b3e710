import { describe, expect, it } from "vitest";
import { CommandClient } from "../../../lib/cluster/command-client.ts";
import { CommandServer } from "../../../lib/cluster/command-server.ts";
import type { Asker, Bus, LocalCommands, LocalSearch } from "../../../lib/cluster/commands.ts";
import { PanecastError } from "../../../lib/errors.ts";
import { keys } from "../../../lib/cluster/keys.ts";
import type { SendRequest } from "../../../lib/panes/sender.ts";
import type { PaneAnswerRequest, TerminalInput } from "../../../lib/protocol.ts";

/** Redis pub/sub in memory: a message reaches every subscriber of its channel, and publish says how many. */
class FakeBus implements Bus {
  private readonly subs = new Map<string, Array<(m: string) => void>>();
  readonly published: Array<{ channel: string; message: string }> = [];

  async publish(channel: string, message: string): Promise<number> {
    this.published.push({ channel, message });
    const to = this.subs.get(channel) ?? [];
    for (const l of to) queueMicrotask(() => l(message));
    return to.length;
  }

  subscribe(channel: string, listener: (message: string) => void): void {
    this.subs.set(channel, [...(this.subs.get(channel) ?? []), listener]);
  }
}

/** What beta runs for others, recording who asked. */
function betaPanes() {
  const asked: Array<{ kind: string; pane: string; asker?: Asker }> = [];
  const local: LocalCommands = {
    async send(req: SendRequest, asker: Asker) {
      if (req.pane !== "%1") throw new PanecastError("PANE_NOT_FOUND", `no pane beta/${req.pane}`);
      asked.push({ kind: "send", pane: req.pane, asker });
      return { verified: true, attempts: 1, keysSent: 0, enterSent: req.enter === true, bytes: req.text?.length ?? 0 };
    },
    async history(pane: string) {
      asked.push({ kind: "history", pane });
      return ["line 1", "line 2"];
    },
    async keys(pane: string, input: TerminalInput[], asker: Asker) {
      asked.push({ kind: "keys", pane, asker });
      return input.length;
    },
    async answer(req: PaneAnswerRequest, asker: Asker) {
      if (req.promptHash !== "0badc0de") throw new PanecastError("STALE_PROMPT", "the prompt changed");
      asked.push({ kind: "answer", pane: req.pane, asker });
      return { outcome: "answered", label: "Yes", keys: ["Enter"] };
    },
  };
  return { local, asked };
}

/** alpha asks; beta runs what it is asked through its server (searching with `search`, if given). */
function pair(timeoutMs = 5000, search: LocalSearch | null = null) {
  const bus = new FakeBus();
  const alpha = new CommandClient(bus, "alpha", timeoutMs);
  const b = betaPanes();
  new CommandServer(bus, "beta", b.local, search);
  return { bus, alpha, ...b };
}

describe("cluster commands", () => {
  it("runs a send on the owning node, naming the asking node, token and role, and brings its answer back", async () => {
    const { alpha, asked } = pair();
    const r = await alpha.send("beta", { pane: "%1", text: "ls", enter: true }, { token: "ops", role: "operator" });
    expect(r).toEqual({ verified: true, attempts: 1, keysSent: 0, enterSent: true, bytes: 2 });
    expect(asked).toEqual([{ kind: "send", pane: "%1", asker: { node: "alpha", token: "ops", role: "operator" } }]);
    expect(await alpha.history("beta", "%1", 10, { token: "ops", role: "viewer" })).toEqual(["line 1", "line 2"]);
    expect(await alpha.keys("beta", "%1", [{ key: "Enter" }, { text: "y" }], { token: "ops", role: "operator" })).toBe(2);
  });

  it("runs a one-tap answer on the owning node, and carries STALE_PROMPT back", async () => {
    const { alpha, asked } = pair();
    const req = { pane: "%1", itemId: "00000000-0000-4000-8000-000000000001", choice: 0, promptHash: "0badc0de" };
    expect(await alpha.answer("beta", req, { token: "ops", role: "operator" })).toEqual({ outcome: "answered", label: "Yes", keys: ["Enter"] });
    expect(asked).toEqual([{ kind: "answer", pane: "%1", asker: { node: "alpha", token: "ops", role: "operator" } }]);
    await expect(alpha.answer("beta", { ...req, promptHash: "0ddba11f" }, { token: "ops", role: "operator" })).rejects.toMatchObject({ code: "STALE_PROMPT" });
  });

  it("carries the owning node's error code back", async () => {
    const { alpha } = pair();
    await expect(alpha.send("beta", { pane: "%9", text: "x" }, { token: "ops", role: "operator" })).rejects.toMatchObject({ code: "PANE_NOT_FOUND", message: "no pane beta/%9" });
  });

  it("fails at once with NODE_UNAVAILABLE when nobody listens on the node's channel", async () => {
    const { alpha, bus } = pair(60_000);
    await expect(alpha.send("gamma", { pane: "%1", text: "x" }, { token: "ops", role: "operator" })).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
    expect(bus.published.map((p) => p.channel)).toEqual([keys.commands("gamma")]);
  });

  it("checks what another node asks like any input: a pane id with a node, or a key outside the grammar, is never run", async () => {
    const { alpha, bus, asked } = pair(50);
    await expect(alpha.history("beta", "beta/%1", 10, { token: "ops", role: "viewer" })).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
    await expect(alpha.keys("beta", "%1", [{ key: "C-b ; kill-server" }], { token: "ops", role: "operator" })).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
    expect(asked).toEqual([]);
    // Refused unread: no answer was published on alpha's reply channel.
    expect(bus.published.filter((p) => p.channel === keys.replies("alpha"))).toEqual([]);
  });

  it("rejects what is in flight when the node stops", async () => {
    const bus = new FakeBus();
    const alpha = new CommandClient(bus, "alpha", 60_000);
    // A node that takes the command and never answers.
    await bus.subscribe(keys.commands("beta"), () => {});
    const pending = alpha.send("beta", { pane: "%1", text: "x" }, { token: "ops", role: "operator" });
    alpha.stop();
    await expect(pending).rejects.toMatchObject({ code: "NODE_UNAVAILABLE", message: "this node is stopping" });
  });

  it("a node whose server is not built yet takes no command: the asker is told NODE_UNAVAILABLE at once", async () => {
    const bus = new FakeBus();
    const alpha = new CommandClient(bus, "alpha", 60_000);
    // beta asks too (its client listens for replies), but runs nothing for others yet.
    new CommandClient(bus, "beta", 60_000);
    await expect(alpha.history("beta", "%1", 10, { token: "ops", role: "viewer" })).rejects.toMatchObject({ code: "NODE_UNAVAILABLE", message: "node beta is not reachable" });
  });

  it("searches the owning node's recordings under the asker's token, or says RECORDING_OFF where nothing is recorded", async () => {
    const hit = { pane: "%1", session: "api", agentType: "claude", state: "idle", at: 1, seq: 4, line: "error: flaky test" };
    const askers: Asker[] = [];
    const { alpha } = pair(5000, async (req, asker) => {
      askers.push(asker);
      return { hits: req.text === "error" ? [hit] : [] };
    });
    expect(await alpha.search("beta", { text: "error" }, { token: "ops", role: "viewer" }, 5000)).toEqual({ hits: [hit] });
    expect(askers).toEqual([{ node: "alpha", token: "ops", role: "viewer" }]);
    const off = pair();
    await expect(off.alpha.search("beta", { text: "error" }, { token: "ops", role: "viewer" }, 5000)).rejects.toMatchObject({ code: "RECORDING_OFF" });
  });
});
