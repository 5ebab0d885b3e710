import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPanecast, type PanecastApp } from "../../../lib/app.ts";
import { loadConfig } from "../../../lib/config.ts";
import { decryptWebPush, selfSignedCert, startPushService, subscriptionKeys } from "../../helpers/push-service.ts";
import { agentCommand } from "../../helpers/agent-script.ts";
import { TestTmux, until } from "../../helpers/tmux.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/needs-you");
const tmux = new TestTmux();
const dir = mkdtempSync(path.join(tmpdir(), "panecast-push-answer-"));
const tls = selfSignedCert();
let service: Awaited<ReturnType<typeof startPushService>>;
let app: PanecastApp;
let url: string;
const keys = { operator: subscriptionKeys(), viewer: subscriptionKeys() };
let tokens: Record<keyof typeof keys, string>;

interface Payload {
  pane: string;
  actions?: Array<{ action: string; title: string }>;
  answer?: { url: string; capability: string };
}

beforeAll(async () => {
  service = await startPushService(tls, () => 201);
  await tmux.newSession("other");
  const cfg = path.join(dir, "panecast.yaml");
  writeFileSync(cfg, `alerts:\n  grace_ms: 0\n  min_interval_ms: 0\npush:\n  allowed_endpoints: ["${service.origin}"]\n`);
  const config = loadConfig({
    argv: ["--port", "0", "--host", "127.0.0.1", "-L", tmux.socketName, "--config", cfg],
    env: { PANECAST_AUTH: "on", PANECAST_TOKENS: path.join(dir, "tokens.json"), PANECAST_AUDIT: path.join(dir, "audit.jsonl") },
  });
  app = createPanecast(config, { pushAgent: new https.Agent({ ca: tls.cert }) });
  url = await app.listen();
  tokens = {
    operator: app.auth.tokens!.create({ name: "op", role: "operator" }).token,
    viewer: app.auth.tokens!.create({ name: "watcher", role: "viewer" }).token,
  };
  for (const who of Object.keys(keys) as Array<keyof typeof keys>) {
    const res = await fetch(`${url}/api/push/subscriptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json" },
      body: JSON.stringify({ endpoint: `${service.origin}/push/${who}`, keys: keys[who].json }),
    });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
  await service?.close();
});

/** A waiting pane and the push each subscription got for it. */
let attempt = 0;
async function waitingPane(base: string): Promise<{ pane: string; push: (who: keyof typeof keys) => Promise<Payload> }> {
  const name = `${base}-${++attempt}`;
  // A shell first: an alert (and so a push) is raised when a pane enters waiting from another state.
  const pane = await tmux.newSession(name);
  await until(() => app.awareness.monitor.status(pane), "the shell's first state");
  await tmux.type(pane, agentCommand(path.join(FIXTURES, "two-questions.sh")));
  await until(() => app.needsYou.item(pane)?.promptHash, "the item");
  const push = async (who: keyof typeof keys) =>
    until(() => {
      for (const r of service.requests.filter((x) => x.path === `/push/${who}`)) {
        const p = JSON.parse(decryptWebPush(r.body, keys[who])) as Payload;
        if (p.pane === pane) return p;
      }
      return null;
    }, `${who}'s push for ${name}`);
  return { pane, push };
}

const post = async (body: unknown) => {
  const res = await fetch(`${url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as { data?: { outcome: string; label: string }; error?: { code: string } } };
};

describe("answering from a push notification", () => {
  it("gives an operator's notification answer buttons and a capability that answers once, as that token, without a cookie", async () => {
    const { pane, push } = await waitingPane("deploy");
    const p = await push("operator");
    expect(p.actions).toEqual([
      { action: "answer:0", title: "Yes" },
      { action: "answer:1", title: "No" },
      { action: "open", title: "Open" },
    ]);
    expect(p.answer!.url).toBe("/api/answer");
    const r = await post({ capability: p.answer!.capability, choice: 0 });
    expect(r).toMatchObject({ status: 200, json: { data: { outcome: "answered", label: "Yes" } } });
    await until(async () => (await tmux.capture(pane)).includes("Also migrate the database?"), "the first question answered");
    // Single use.
    expect(await post({ capability: p.answer!.capability, choice: 0 })).toMatchObject({ status: 401, json: { error: { code: "UNAUTHORIZED" } } });
    await app.auth.audit.flush();
    const audit = readFileSync(app.config.audit.path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit.some((l) => l.event === "send" && l.token === "op" && l.target === pane && l.outcome === "answered" && String(l.detail).startsWith("answer from a notification"))).toBe(true);
  });

  it("gives a viewer's notification \"Open\" only, and no capability", async () => {
    const { push } = await waitingPane("viewer-only");
    const v = await push("viewer");
    expect(v.actions).toEqual([{ action: "open", title: "Open" }]);
    expect(v.answer).toBeUndefined();
  });

  it("refuses a stale capability with STALE_PROMPT and types nothing; and one whose token lost the right", async () => {
    const { pane, push } = await waitingPane("stale");
    const p = await push("operator");
    await tmux.tmux("send-keys", "-t", pane, "y", "Enter");
    await until(async () => (await tmux.capture(pane)).includes("Also migrate the database? [y/n]"), "the second question");
    await until(() => app.needsYou.prompt(pane)?.question?.includes("migrate"), "the new prompt seen");
    expect(await post({ capability: p.answer!.capability, choice: 1 })).toMatchObject({ status: 409, json: { error: { code: "STALE_PROMPT" } } });
    expect(await tmux.capture(pane)).not.toMatch(/database\? \[y\/n\] n/);

    const again = await waitingPane("revoked");
    const q = await again.push("operator");
    app.auth.tokens!.revoke("op");
    expect(await post({ capability: q.answer!.capability, choice: 0 })).toMatchObject({ status: 403, json: { error: { code: "FORBIDDEN" } } });
    expect(await post({ capability: "x".repeat(32), choice: 0 })).toMatchObject({ status: 401 });
    expect(await post({ capability: "short", choice: 0 })).toMatchObject({ status: 400, json: { error: { code: "BAD_REQUEST" } } });
  });
});
