import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../lib/config.ts";
import { retryAfterMs, WebhookSender, type Webhook } from "../../lib/notify/webhooks.ts";
import type { PaneAlert } from "../../lib/protocol.ts";
import { until } from "../helpers/tmux.ts";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
/** Per path: answers to give before the normal 200 (status and headers). */
const script = new Map<string, Array<{ status: number; headers?: Record<string, string> }>>();
let server: http.Server;
let base: string;
const senders: WebhookSender[] = [];

const alert: PaneAlert = {
  id: "a1",
  kind: "waiting-for-input",
  pane: "%7",
  session: "build",
  window: 1,
  agentId: "api-agent",
  message: "api-agent is waiting for input",
  line: 'Do you want to run "rm -rf dist" <now> & @everyone?',
  at: "2026-11-30T01:00:00.000Z",
};

function sender(hook: Partial<Webhook> & { url: string }, opts: { retryBaseMs?: number } = {}): WebhookSender {
  const s = new WebhookSender([{ timeout_ms: 5000, retries: 2, ...hook }], { publicUrl: "https://dash.example.com/panecast", ...opts });
  senders.push(s);
  return s;
}

async function deliveredTo(path: string): Promise<Received> {
  return until(() => received.find((r) => r.path === path), `a delivery to ${path}`);
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const next = script.get(req.url!)?.shift();
      if (next) {
        res.writeHead(next.status, next.headers).end();
        return;
      }
      received.push({ path: req.url!, headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of senders) s.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("webhook formats, each against a real HTTP server", () => {
  it("generic: today's JSON, plus the link to the pane", async () => {
    sender({ url: `${base}/generic` }).send(alert);
    const r = await deliveredTo("/generic");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(r.body)).toEqual({ type: "pane.alert", ...alert, url: "https://dash.example.com/panecast/?pane=%257" });
  });

  it("slack: {text} in mrkdwn, with <, > and & escaped and a link", async () => {
    sender({ url: `${base}/slack`, format: "slack" }).send(alert);
    const body = JSON.parse((await deliveredTo("/slack")).body) as { text: string };
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toBe(
      '*api-agent*: waiting for input\n> Do you want to run "rm -rf dist" &lt;now&gt; &amp; @everyone?\n<https://dash.example.com/panecast/?pane=%257|Open the pane>',
    );
  });

  it("discord: {content}, with mentions switched off", async () => {
    sender({ url: `${base}/discord`, format: "discord" }).send(alert);
    const body = JSON.parse((await deliveredTo("/discord")).body) as { content: string; allowed_mentions: { parse: string[] } };
    expect(body.content).toContain("**api-agent**: waiting for input");
    expect(body.content).toContain("@everyone");
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it("ntfy: a plain-text body with Title, Priority, Tags and the configured bearer header", async () => {
    sender({ url: `${base}/ntfy`, format: "ntfy", headers: { Authorization: "Bearer tk_secret" } }).send(alert);
    const r = await deliveredTo("/ntfy");
    expect(r.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(r.headers.title).toBe("panecast: api-agent waiting for input");
    expect(r.headers.priority).toBe("high");
    expect(r.headers.tags).toBe("bell,panecast");
    expect(r.headers.click).toBe("https://dash.example.com/panecast/?pane=%257");
    expect(r.headers.authorization).toBe("Bearer tk_secret");
    expect(r.body).toBe(`api-agent is waiting for input\n${alert.line}`);
  });

  it("template: placeholders filled, JSON-escaped in a JSON template", async () => {
    sender({ url: `${base}/template`, format: "template", template: '{"msg": "{{agent}} is {{state}}: {{line}}", "link": "{{url}}"}' }).send(alert);
    const r = await deliveredTo("/template");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(r.body)).toEqual({ msg: `api-agent is waiting for input: ${alert.line}`, link: "https://dash.example.com/panecast/?pane=%257" });
    sender({ url: `${base}/template-text`, format: "template", template: "{{agent}} → {{state}}" }).send(alert);
    expect((await deliveredTo("/template-text")).body).toBe("api-agent → waiting for input");
  });

  it("honours Retry-After on 429 instead of its own backoff", async () => {
    // Its own backoff would wait ten minutes; the service asks for no wait at all.
    script.set("/busy", [{ status: 429, headers: { "retry-after": "0" } }]);
    const s = sender({ url: `${base}/busy`, format: "slack" }, { retryBaseMs: 600_000 });
    s.send(alert);
    await deliveredTo("/busy");
    // The service has the request before the sender has read its answer: wait for the sender's count.
    await until(() => s.stats.delivered === 1, "the sender to count the delivery");
    expect(s.stats).toMatchObject({ delivered: 1, retried: 1 });
  });
});

describe("Retry-After and header values from env", () => {
  it("reads seconds and HTTP dates, bounded", () => {
    const now = Date.parse("2026-11-30T01:00:00Z");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Mon, 30 Nov 2026 01:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("999999", now)).toBe(600_000);
    expect(retryAfterMs("soon", now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });

  it("expands ${NAME} in header values from env, and stops on a missing one", () => {
    const file = mkConfig('alerts:\n  webhooks:\n    - url: https://ntfy.sh/alerts\n      format: ntfy\n      headers:\n        Authorization: "Bearer ${NTFY_TOKEN}"\n');
    const c = loadConfig({ argv: ["--config", file], env: { NTFY_TOKEN: "tk_123" } });
    expect(c.alerts.webhooks[0]!.headers).toEqual({ Authorization: "Bearer tk_123" });
    expect(() => loadConfig({ argv: ["--config", file], env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: ["--config", file], env: {} })).toThrow(/alerts\.webhooks\.0\.headers\.Authorization names env NTFY_TOKEN/);
  });
});

function mkConfig(yaml: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "panecast-hooks-cfg-")), "panecast.yaml");
  writeFileSync(file, yaml);
  return file;
}
