import { mkdtempSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPanecast, type PanecastApp } from "../../../lib/app.ts";
import { keys as redisKeys } from "../../../lib/cluster/keys.ts";
import { closeClient, redisClient, type Redis } from "../../../lib/cluster/redis.ts";
import { loadConfig } from "../../../lib/config.ts";
import { agentCommand } from "../../helpers/agent-script.ts";
import { decryptWebPush, selfSignedCert, startPushService, subscriptionKeys, verifyVapid } from "../../helpers/push-service.ts";
import { TestRedis } from "../../helpers/redis.ts";
import { freshName, TestTmux, until } from "../../helpers/tmux.ts";

// Any node serves anyone, for what lived in one node's memory or files: Web Push subscriptions and
// the VAPID pair, phone sign-in links and push answer capabilities are the cluster's, in Redis
// (secrets hashed or sealed), each pushed or used once per cluster. Real nodes, redis-server, tmux
// and a local push service.

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/needs-you");
const SECRET = "a-cluster-secret-of-at-least-32-characters";
const redis = new TestRedis();
const tmuxA = new TestTmux();
const tmuxB = new TestTmux();
const tls = selfSignedCert();
let service: Awaited<ReturnType<typeof startPushService>>;
let a: { app: PanecastApp; url: string };
let b: { app: PanecastApp; url: string };
let admin: string;
let operator: string;
let raw: Redis;
let config: string;
const browser = subscriptionKeys();

async function node(name: string, tmux: TestTmux): Promise<{ app: PanecastApp; url: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), `panecast-cs-${name}-`));
  const app = createPanecast(
    loadConfig({
      argv: ["--port", "0", "--host", "127.0.0.1", "-L", tmux.socketName, "--config", config],
      env: { PANECAST_AUTH: "on", PANECAST_TOKENS: path.join(dir, "tokens.json"), PANECAST_DATA_DIR: dir, PANECAST_AUDIT: path.join(dir, "audit.jsonl"), PANECAST_NODE: name, PANECAST_REDIS_URL: redis.url, PANECAST_CLUSTER_SECRET: SECRET },
    }),
    { pushAgent: new https.Agent({ ca: tls.cert }) },
  );
  return { app, url: await app.listen() };
}

interface Payload {
  pane: string;
  actions?: Array<{ action: string; title: string }>;
  answer?: { url: string; capability: string };
}

/** The pushes a browser (by default the first one) got for a pane, decrypted. */
function pushesFor(pane: string, at = "/push/browser", keys: ReturnType<typeof subscriptionKeys> = browser): Array<{ payload: Payload; authorization: string }> {
  return service.requests
    .filter((r) => r.path === at)
    .map((r) => ({ payload: JSON.parse(decryptWebPush(r.body, keys)) as Payload, authorization: String(r.headers.authorization) }))
    .filter((p) => p.payload.pane === pane);
}

let attempt = 0;
/** A pane that starts as a shell then waits at a question (entering waiting raises the alert). */
async function waitingPane(tmux: TestTmux, app: PanecastApp, nodeName: string, base: string): Promise<{ local: string; pane: string }> {
  const local = await tmux.newSession(`${base}-${++attempt}`);
  const pane = `${nodeName}/${local}`;
  await until(() => app.awareness.monitor.status(pane), "the shell's first state");
  await tmux.type(local, agentCommand(path.join(FIXTURES, "yes-no.sh")));
  await until(() => app.needsYou.item(pane)?.promptHash, `${base}'s item`);
  return { local, pane };
}

const post = async (base: string, body: unknown) => {
  const res = await fetch(`${base}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as { data?: { outcome: string; label: string }; error?: { code: string } } };
};

beforeAll(async () => {
  service = await startPushService(tls, () => 201);
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-cs-cfg-"));
  config = path.join(dir, "panecast.yaml");
  writeFileSync(config, String.raw`alerts:
  grace_ms: 0
  min_interval_ms: 0
push:
  allowed_endpoints: ["${service.origin}"]
agents:
  rules:
    shell:
      waiting: ['\[y/n\]\s*$']
`);
  await redis.start();
  raw = redisClient(redis.url, "test-raw");
  await raw.connect();
  await tmuxA.newSession("alpha-idle");
  await tmuxB.newSession("beta-idle");
  a = await node("alpha", tmuxA);
  admin = a.app.bootstrapToken!;
  operator = a.app.auth.tokens!.create({ name: "op", role: "operator" }).token;
  b = await node("beta", tmuxB);
  await until(() => b.app.auth.tokens!.list().some((t) => t.name === "op") && a.app.cluster!.nodes().some((n) => n.name === "beta" && n.online), "beta knows alpha's tokens");
}, 30_000);

afterAll(async () => {
  await a?.app.close();
  await b?.app.close();
  if (raw) await closeClient(raw);
  await Promise.all([tmuxA.kill(), tmuxB.kill(), redis.stop()]);
  await service?.close();
});

describe("Web Push across the cluster", () => {
  let capability: string;
  let betaPane: { local: string; pane: string };

  it("pushes an alert raised on beta, once, to a browser subscribed through alpha, signed with the one VAPID key; nothing secret in Redis", async () => {
    const key = async (base: string) => ((await (await fetch(`${base}/api/push/vapid-key`, { headers: { authorization: `Bearer ${operator}` } })).json()) as { key: string }).key;
    const shared = await until(async () => {
      const [ka, kb] = [await key(a.url), await key(b.url)];
      return ka === kb ? ka : null;
    }, "one VAPID key on both nodes");
    const res = await fetch(`${a.url}/api/push/subscriptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${operator}`, "content-type": "application/json" },
      body: JSON.stringify({ endpoint: `${service.origin}/push/browser`, keys: browser.json }),
    });
    expect(res.status).toBe(201);
    await until(() => b.app.push!.store.list().some((e) => e.endpoint.endsWith("/push/browser")), "beta knows the subscription");

    betaPane = await waitingPane(tmuxB, b.app, "beta", "raised-on-beta");
    const [got] = await until(() => (pushesFor(betaPane.pane).length > 0 ? pushesFor(betaPane.pane) : null), "the push for beta's pane");
    expect(verifyVapid(got!.authorization, shared).aud).toBe(service.origin);
    expect(got!.payload.actions?.map((x) => x.action)).toEqual(["answer:0", "answer:1", "open"]);
    capability = got!.payload.answer!.capability;

    // A later alert on alpha is pushed too; by then beta's pane has still been pushed once, not once per node.
    const alphaPane = await waitingPane(tmuxA, a.app, "alpha", "raised-on-alpha");
    await until(() => pushesFor(alphaPane.pane).length > 0, "the push for alpha's pane");
    expect(pushesFor(betaPane.pane)).toHaveLength(1);
    expect(pushesFor(alphaPane.pane)).toHaveLength(1);

    // Redis holds the subscription and the key pair, but neither the endpoint, the browser's keys nor the private key in the clear.
    const stored = JSON.stringify(await raw.hGetAll(redisKeys.pushSubscriptions)) + ((await raw.get(redisKeys.vapid)) ?? "");
    expect(stored).not.toContain("/push/browser");
    expect(stored).not.toContain(browser.json.auth);
    expect(stored).not.toContain(b.app.push!.vapid.privateKey);
    expect(stored).toContain(shared);
  });

  it("answers through alpha with the capability beta made, once; refused the second time on either node", async () => {
    expect(await post(a.url, { capability, choice: 0 })).toMatchObject({ status: 200, json: { data: { outcome: "answered", label: "Yes" } } });
    await until(async () => (await tmuxB.capture(betaPane.local)).includes("answer: y"), "beta's script read y");
    expect(await post(b.url, { capability, choice: 0 })).toMatchObject({ status: 401, json: { error: { code: "UNAUTHORIZED" } } });
    expect(await post(a.url, { capability, choice: 0 })).toMatchObject({ status: 401 });
    // Only hashes were ever keys: the secret is nowhere in Redis.
    expect(await raw.keys(`${redisKeys.answerCap("*")}`)).not.toContain(redisKeys.answerCap(capability));
  });

  it("keys a subscription by token and endpoint: a second token posting the same endpoint does not take the first one's over", async () => {
    const name = freshName("other");
    const other = a.app.auth.tokens!.create({ name, role: "viewer" }).token;
    await until(() => b.app.auth.tokens!.list().some((t) => t.name === name), "beta knows the new token");
    const res = await fetch(`${b.url}/api/push/subscriptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${other}`, "content-type": "application/json" },
      body: JSON.stringify({ endpoint: `${service.origin}/push/browser`, keys: subscriptionKeys().json }),
    });
    expect(res.status).toBe(201);
    const owners = () => a.app.push!.store.list().filter((e) => e.endpoint.endsWith("/push/browser")).map((e) => e.tokenId);
    await until(() => owners().length === 2, "both tokens' entries on alpha");
    const del = await fetch(`${b.url}/api/push/subscriptions`, { method: "DELETE", headers: { authorization: `Bearer ${other}`, "content-type": "application/json" }, body: JSON.stringify({ endpoint: `${service.origin}/push/browser` }) });
    expect(((await del.json()) as { data: { removed: boolean } }).data.removed).toBe(true);
    await until(() => owners().length === 1, "only the second token's entry removed");
    expect(a.app.auth.tokens!.principalOf(owners()[0]!)?.name).toBe("op");
  });
});

describe("a Redis restart that loses every key", () => {
  it("keeps the browsers' subscriptions and the one VAPID pair: the nodes put back what they held", async () => {
    const before = a.app.push!.vapid.publicKey;
    const held = () => a.app.push!.store.list().filter((e) => e.endpoint.endsWith("/push/browser")).length;
    expect(held()).toBe(1);
    await closeClient(raw);
    await redis.restart();
    raw = redisClient(redis.url, "test-raw-2");
    await raw.connect();
    await until(async () => (await raw.hLen(redisKeys.pushSubscriptions)) > 0 && (await raw.exists(redisKeys.vapid)) === 1, "the subscriptions and the pair back in Redis");
    for (const n of [a, b]) await until(() => n.app.push!.store.list().some((e) => e.endpoint.endsWith("/push/browser")), "the subscription still held");
    expect(b.app.push!.vapid.publicKey).toBe(before);
    expect(a.app.push!.vapid.publicKey).toBe(before);
    await until(() => a.app.cluster!.connected && b.app.cluster!.connected && b.app.auth.tokens!.list().some((t) => t.name === "op"), "both nodes back on Redis");
  }, 30_000);
});

describe("subscription changes made while Redis is away", () => {
  const subscribe = (base: string, at: string, keys: { p256dh: string; auth: string }) =>
    fetch(`${base}/api/push/subscriptions`, { method: "POST", headers: { authorization: `Bearer ${operator}`, "content-type": "application/json" }, body: JSON.stringify({ endpoint: `${service.origin}${at}`, keys }) });
  const endpoints = (n: { app: PanecastApp }) => n.app.push!.store.list().map((e) => new URL(e.endpoint).pathname).sort();

  it("land in Redis once it is back, in order, after the restore: an add on alpha and a removal on beta; the new browser is pushed beta's alert once", async () => {
    const later = subscriptionKeys();
    const removed = freshName("/push/removed");
    const added = freshName("/push/added");
    expect((await subscribe(a.url, removed, subscriptionKeys().json)).status).toBe(201);
    for (const n of [a, b]) await until(() => endpoints(n).includes(removed), "both nodes hold the subscription to remove");

    await closeClient(raw);
    await redis.stop();
    await until(() => !a.app.cluster!.connected && !b.app.cluster!.connected, "both nodes see Redis gone");
    expect((await subscribe(a.url, added, later.json)).status).toBe(201);
    const del = await fetch(`${b.url}/api/push/subscriptions`, { method: "DELETE", headers: { authorization: `Bearer ${operator}`, "content-type": "application/json" }, body: JSON.stringify({ endpoint: `${service.origin}${removed}` }) });
    expect(((await del.json()) as { data: { removed: boolean } }).data.removed).toBe(true);
    await redis.start();
    raw = redisClient(redis.url, "test-raw-3");
    await raw.connect();

    const want = ["/push/browser", added].sort();
    for (const n of [a, b]) await until(() => JSON.stringify(endpoints(n)) === JSON.stringify(want), `${n === a ? "alpha" : "beta"} holds the browser and the added subscription, not the removed one`);
    await until(async () => (await raw.hLen(redisKeys.pushSubscriptions)) === 2, "Redis holds the same two");
    expect(a.app.push!.vapid.publicKey).toBe(b.app.push!.vapid.publicKey);

    // The subscription made on alpha while Redis was away is pushed the alerts raised on beta, once per cluster.
    const onBeta = await waitingPane(tmuxB, b.app, "beta", "after-outage-beta");
    await until(() => pushesFor(onBeta.pane, added, later).length > 0, "the new browser's push for beta's pane");
    const onAlpha = await waitingPane(tmuxA, a.app, "alpha", "after-outage-alpha");
    await until(() => pushesFor(onAlpha.pane, added, later).length > 0, "the new browser's push for alpha's pane");
    expect(pushesFor(onBeta.pane, added, later)).toHaveLength(1);
    expect(pushesFor(onBeta.pane)).toHaveLength(1);
    expect(pushesFor(onAlpha.pane, added, later)).toHaveLength(1);
  }, 40_000);
});

describe("phone sign-in links across the cluster", () => {
  it("redeems a link made on alpha once on beta, and refuses it the second time on either node", async () => {
    const made = await fetch(`${a.url}/api/login-links`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ role: "viewer", ttl: "10m" }) });
    const link = new URL(((await made.json()) as { data: { url: string } }).data.url);
    const on = (base: string) => fetch(`${base}${link.pathname}${link.search}`, { redirect: "manual" });
    const first = await on(b.url);
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toMatch(/^\/#page=/);
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
    // The session made on beta works on alpha (once alpha has read it: a client retries).
    const me = await until(async () => ((await (await fetch(`${a.url}/api/me`, { headers: { cookie } })).json()) as { role?: string }).role, "the phone's session on alpha");
    expect(me).toBe("viewer");
    for (const base of [b.url, a.url]) {
      const again = await on(base);
      expect(again.headers.get("location")).toBe("/login?error=link");
      expect(again.headers.get("set-cookie")).toBeNull();
    }
    const code = link.searchParams.get("code")!;
    expect(JSON.stringify(await raw.keys("panecast:login-link:*"))).not.toContain(code);
  });
});
