import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../../lib/app.ts";
import type { NeedsYouItem, NeedsYouPayload } from "../../../lib/protocol.ts";
import { startWithAuth } from "../../helpers/auth.ts";
import { client, startPanecast, type TestClient } from "../../helpers/server.ts";
import { agentCommand } from "../../helpers/agent-script.ts";
import { TestTmux, until } from "../../helpers/tmux.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/needs-you");
/** The menu script's footer counts as waiting, next to the built-in [y/n] rule. */
export const NEEDS_YOU_SETTINGS = String.raw`agents:
  rules:
    shell:
      waiting: ['\[y/n\]\s*$', 'enter to confirm']
needs_you:
  verify_timeout_ms: 800
`;

const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let dir: string;
let auditFile: string;
const open: TestClient[] = [];
let operator: TestClient;

beforeAll(async () => {
  await tmux.newSession("idle");
  const s = await startWithAuth(tmux, NEEDS_YOU_SETTINGS);
  ({ app, url, dir } = s);
  auditFile = s.audit;
  operator = await as(app.auth.tokens!.create({ name: "op", role: "operator" }).token);
});

afterAll(async () => {
  for (const c of open) c.close();
  await app?.close();
  await tmux.kill();
});

async function as(token: string, base = url): Promise<TestClient> {
  const c = await client(base, { token });
  open.push(c);
  return c;
}

/** The latest needs-you payload a client was sent, once it satisfies `check`. */
function queueOf(c: TestClient): { until: (check: (q: NeedsYouPayload) => boolean, what: string) => Promise<NeedsYouPayload> } {
  return {
    until: (check, what) =>
      until(() => {
        const q = c.needsYou();
        return q && check(q) ? q : null;
      }, what),
  };
}

let attempt = 0;
/** A session running a prompt script (named afresh each time, so a retried test starts clean). */
async function prompt(base: string, script: string): Promise<string> {
  const name = `${base}-${++attempt}`;
  const pane = await tmux.newSession(name, { command: agentCommand(path.join(FIXTURES, script)) });
  await until(() => app.needsYou.item(pane)?.choices.length, `${name}'s prompt in the queue`);
  return pane;
}

const openItem = (q: NeedsYouPayload, pane: string): NeedsYouItem | undefined => q.open.find((i) => i.pane === pane);

describe("the needs-you queue", () => {
  it("opens an item for a pane at a [y/n] question with Yes and No, and resolves it when someone answers in tmux", async () => {
    const q = queueOf(operator);
    const pane = await prompt("tmux-answer", "yes-no.sh");
    const shown = await q.until((p) => !!openItem(p, pane), "the item pushed");
    const item = openItem(shown, pane)!;
    expect(item).toMatchObject({ state: "waiting-for-input", session: expect.stringMatching(/^tmux-answer-/), line: "Deploy now? [y/n]" });
    expect(item.choices).toEqual([
      { label: "Yes", keys: ["y", "Enter"] },
      { label: "No", keys: ["n", "Enter"] },
    ]);
    await tmux.tmux("send-keys", "-t", pane, "n", "Enter");
    const after = await q.until((p) => !openItem(p, pane), "the item resolved");
    expect(after.resolved.find((i) => i.id === item.id)?.resolvedAt).toBeDefined();
  });

  it("answers with one tap: types the choice's keys, verifies the prompt went away, records and audits it", async () => {
    const pane = await prompt("one-tap", "yes-no.sh");
    const item = app.needsYou.item(pane)!;
    const r = await operator.emitWithAck("pane:answer", { pane, itemId: item.id, choice: 0, promptHash: item.promptHash! });
    expect(r).toEqual({ data: { outcome: "answered", label: "Yes", keys: ["y", "Enter"] } });
    await until(async () => (await tmux.capture(pane)).includes("answer: y"), "the script read y");
    // The item is resolved once the monitor reads the pane out of its question, which may be a frame
    // or two after the one that showed the prompt gone (the answer's check).
    const resolved = await until(() => app.needsYou.payload().resolved.find((i) => i.id === item.id), "the item resolved");
    expect(resolved.answer).toMatchObject({ outcome: "answered", label: "Yes", by: "op" });
    await app.auth.audit.flush();
    const lines = readFileSync(auditFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ event: "send", token: "op", target: pane, outcome: "answered", keys: ["y", "Enter"], detail: "answer: Yes" });
  });

  it("moves a menu's cursor from where it is to the chosen line, and presses Enter", async () => {
    const pane = await prompt("menu", "menu.sh");
    const item = app.needsYou.item(pane)!;
    expect(item.choices.map((c) => c.label)).toEqual(["Yes", "Yes, and don't ask again", "No, and tell me what to do"]);
    // Someone moved the cursor in tmux meanwhile: the same prompt, so the answer still counts.
    await tmux.tmux("send-keys", "-t", pane, "Down");
    await until(async () => (await tmux.capture(pane)).includes("❯ 2."), "the cursor on line 2");
    const r = await operator.emitWithAck("pane:answer", { pane, itemId: item.id, choice: 2, promptHash: item.promptHash! });
    expect(r).toMatchObject({ data: { outcome: "answered", keys: ["Down", "Enter"] } });
    await until(async () => (await tmux.capture(pane)).includes("chose: No, and tell me what to do"), "the third option chosen");
  });

  it("refuses an answer for a prompt the screen no longer shows (STALE_PROMPT) and types nothing", async () => {
    const pane = await prompt("stale", "yes-no.sh");
    const item = app.needsYou.item(pane)!;
    const wrongHash = item.promptHash === "00000000" ? "00000001" : "00000000";
    expect(await operator.emitWithAck("pane:answer", { pane, itemId: item.id, choice: 0, promptHash: wrongHash })).toMatchObject({ error: { code: "STALE_PROMPT" } });
    await tmux.tmux("send-keys", "-t", pane, "y", "Enter");
    await until(() => !app.needsYou.item(pane), "answered in tmux");
    expect(await operator.emitWithAck("pane:answer", { pane, itemId: item.id, choice: 1, promptHash: item.promptHash! })).toMatchObject({ error: { code: "STALE_PROMPT" } });
    const screen = await tmux.capture(pane);
    expect(screen).toContain("answer: y");
    expect(screen).not.toContain("\nn\n");
  });

  it("lets only an operator that may see the pane answer, and validates the request", async () => {
    const pane = await prompt("guarded", "yes-no.sh");
    const item = app.needsYou.item(pane)!;
    const req = { pane, itemId: item.id, choice: 0, promptHash: item.promptHash! };
    const viewer = await as(app.auth.tokens!.create({ name: "viewer", role: "viewer" }).token);
    const elsewhere = await as(app.auth.tokens!.create({ name: "op-idle", role: "operator", sessions: ["idle"] }).token);
    expect(await viewer.emitWithAck("pane:answer", req)).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(await elsewhere.emitWithAck("pane:answer", req)).toMatchObject({ error: { code: "PANE_NOT_FOUND" } });
    expect(await operator.emitWithAck("pane:answer", { ...req, choice: 7 })).toMatchObject({ error: { code: "BAD_REQUEST" } });
    expect(await operator.emitWithAck("pane:answer", { ...req, promptHash: "x;rm" })).toMatchObject({ error: { code: "BAD_REQUEST" } });
    // The limited operator is not even told the item exists; the operator who sees everything is.
    expect((await queueOf(elsewhere).until(() => true, "its first queue")).open.some((i) => i.pane === pane)).toBe(false);
    expect(!!openItem(await queueOf(operator).until((q) => !!openItem(q, pane), "the item"), pane)).toBe(true);
    expect(app.needsYou.item(pane)?.id).toBe(item.id);
  });

  it("says \"not answered\" when the prompt is still there after the answer", async () => {
    const pane = await prompt("asks-again", "ask-again.sh");
    const item = app.needsYou.item(pane)!;
    const r = await operator.emitWithAck("pane:answer", { pane, itemId: item.id, choice: 1, promptHash: item.promptHash! });
    expect(r).toEqual({ data: { outcome: "not-answered", label: "No", keys: ["n", "Enter"] } });
    const q = await queueOf(operator).until((p) => openItem(p, pane)?.answer?.outcome === "not-answered", "the item marked");
    expect(openItem(q, pane)!.id).toBe(item.id);
  });

  it("keeps its items across a restart: still waiting is the same item, answered meanwhile is resolved", async () => {
    const still = await prompt("restart-still", "yes-no.sh");
    const gone = await prompt("restart-gone", "yes-no.sh");
    const stillItem = app.needsYou.item(still)!;
    const goneItem = app.needsYou.item(gone)!;
    const tokens = app.config.auth.tokens_path;
    const audit = app.config.audit.path;
    await app.close();
    // Answered while panecast was down.
    await tmux.tmux("send-keys", "-t", gone, "y", "Enter");
    await until(async () => (await tmux.capture(gone)).includes("answer: y"), "answered in tmux");
    ({ app, url } = await startPanecast(tmux, ["--config", path.join(dir, "panecast.yaml")], { PANECAST_AUTH: "on", PANECAST_TOKENS: tokens, PANECAST_AUDIT: audit }));
    const c = await as(app.auth.tokens!.create({ name: `op-after-${attempt}`, role: "operator" }).token);
    const q = await queueOf(c).until((p) => p.resolved.some((i) => i.id === goneItem.id) && !!openItem(p, still), "reconciled with the live panes");
    expect(openItem(q, still)).toMatchObject({ id: stillItem.id, since: stillItem.since, promptHash: stillItem.promptHash });
    expect(openItem(q, gone)).toBeUndefined();
  });
});
