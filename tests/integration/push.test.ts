import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPanecast, type PanecastApp } from "../../lib/app.ts";
import { loadConfig } from "../../lib/config.ts";
import { decryptWebPush, selfSignedCert, startPushService, subscriptionKeys, verifyVapid, type PushRequest } from "../helpers/push-service.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

const tmux = new TestTmux();
const dir = mkdtempSync(path.join(tmpdir(), "panecast-push-"));
const tls = selfSignedCert();
let service: Awaited<ReturnType<typeof startPushService>>;
let app: PanecastApp;
let url: string;
let admin: string;
let viewer: string;
let seen: string;
let hidden: string;
let socket: string;

const api = async (route: string, token: string | null, init: { method?: string; body?: unknown } = {}) => {
  const res = await fetch(`${url}${route}`, {
    method: init.method ?? "GET",
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

const signal = (pane: string, event: string) => api("/api/agent-signals", admin, { method: "POST", body: { agent: "claude", pane, socket, event } });
const to = (p: string) => service.requests.filter((r) => r.path === p);

beforeAll(async () => {
  service = await startPushService(tls, (p) => (p.startsWith("/gone/") ? 410 : 201));
  seen = await tmux.newSession("seen");
  hidden = await tmux.newSession("hidden");
  socket = (await tmux.tmux("display-message", "-p", "-t", seen, "#{socket_path}")).trim();
  const cfg = path.join(dir, "panecast.yaml");
  writeFileSync(
    cfg,
    `agents:\n  hook_quiet_ms: 600000\nalerts:\n  grace_ms: 0\n  min_interval_ms: 0\npush:\n  subject: mailto:ops@example.com\n  allowed_endpoints: ["${service.origin}"]\n`,
  );
  const config = loadConfig({
    argv: ["--port", "0", "--host", "127.0.0.1", "-L", tmux.socketName, "--config", cfg],
    env: { PANECAST_AUTH: "on", PANECAST_TOKENS: path.join(dir, "tokens.json"), PANECAST_AUDIT: path.join(dir, "audit.jsonl") },
  });
  // The push service's self-signed certificate is trusted through the agent, as NODE_EXTRA_CA_CERTS would.
  app = createPanecast(config, { pushAgent: new https.Agent({ ca: tls.cert }) });
  url = await app.listen();
  admin = app.bootstrapToken!;
  viewer = app.auth.tokens!.create({ name: "seen-viewer", role: "viewer", sessions: ["seen"] }).token;
  await until(() => app.awareness.monitor.status(seen) && app.awareness.monitor.status(hidden), "first states");
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
  await service?.close();
});

describe("Web Push", () => {
  const viewerKeys = subscriptionKeys();
  const adminKeys = subscriptionKeys();
  const goneKeys = subscriptionKeys();
  let key: string;

  it("GET /api/push/vapid-key gives the key made on first start, kept 0600 in the state directory", async () => {
    const file = path.join(dir, "vapid.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const r = await api("/api/push/vapid-key", viewer);
    expect(r.status).toBe(200);
    key = r.json.key as string;
    expect(key).toBe((JSON.parse(readFileSync(file, "utf8")) as { publicKey: string }).publicKey);
    expect((await api("/api/push/vapid-key", null)).status).toBe(401);
  });

  it("refuses endpoints outside push.allowed_endpoints and malformed subscriptions, storing nothing", async () => {
    for (const endpoint of ["https://10.0.0.1/push/x", `${service.origin.replace("https", "http")}/push/x`, "https://fcm.googleapis.com.internal/x"]) {
      const r = await api("/api/push/subscriptions", viewer, { method: "POST", body: { endpoint, keys: viewerKeys.json } });
      expect(r, endpoint).toMatchObject({ status: 400, json: { error: { code: "BAD_REQUEST" } } });
    }
    const bad = await api("/api/push/subscriptions", viewer, { method: "POST", body: { endpoint: `${service.origin}/push/v`, keys: { p256dh: "short", auth: "x" } } });
    expect(bad).toMatchObject({ status: 400, json: { error: { code: "BAD_REQUEST" } } });
    expect(app.push!.store.list()).toEqual([]);
  });

  it("pushes an alert to every subscription whose token sees the pane: aes128gcm, VAPID-signed, decryptable", async () => {
    for (const [token, p, keys] of [
      [viewer, "/push/viewer", viewerKeys],
      [admin, "/push/admin", adminKeys],
      [admin, "/gone/1", goneKeys],
    ] as const) {
      const r = await api("/api/push/subscriptions", token, { method: "POST", body: { endpoint: `${service.origin}${p}`, expirationTime: null, keys: keys.json } });
      expect(r.status).toBe(201);
    }
    expect((await signal(seen, "PermissionRequest")).status).toBe(200);
    const [v] = await until(() => (to("/push/viewer").length ? to("/push/viewer") : null), "the viewer's push");
    const [a] = await until(() => (to("/push/admin").length ? to("/push/admin") : null), "the admin's push");
    for (const [req, keys] of [
      [v!, viewerKeys],
      [a!, adminKeys],
    ] as Array<[PushRequest, typeof viewerKeys]>) {
      expect(req.headers["content-encoding"]).toBe("aes128gcm");
      expect(req.headers.ttl).toBe("3600");
      const claims = verifyVapid(String(req.headers.authorization), key);
      expect(claims.aud).toBe(service.origin);
      expect(claims.sub).toBe("mailto:ops@example.com");
      expect(claims.exp * 1000).toBeGreaterThan(Date.now());
      const payload = JSON.parse(decryptWebPush(req.body, keys)) as Record<string, string>;
      expect(payload).toMatchObject({ kind: "waiting-for-input", pane: seen, url: `/?pane=${encodeURIComponent(seen)}` });
      expect(payload.title).toContain("waiting for input");
    }
  });

  it("drops a subscription the push service calls gone (410)", async () => {
    await until(() => to("/gone/1").length > 0, "the push to the gone endpoint");
    await until(() => !app.push!.store.list().some((e) => e.endpoint.endsWith("/gone/1")), "the gone subscription dropped");
    expect(app.push!.store.list().map((e) => new URL(e.endpoint).pathname).sort()).toEqual(["/push/admin", "/push/viewer"]);
  });

  it("pushes a pane's alert only to tokens that can see its session", async () => {
    expect((await signal(hidden, "PermissionRequest")).status).toBe(200);
    await until(() => to("/push/admin").length === 2, "the admin's push for the hidden pane");
    // Another alert for the seen pane: the viewer's queue is in order, so a hidden push would come first.
    await signal(seen, "Stop");
    await signal(seen, "PermissionRequest");
    await until(() => to("/push/viewer").length === 2, "the viewer's second push");
    const panes = to("/push/viewer").map((r) => (JSON.parse(decryptWebPush(r.body, viewerKeys)) as { pane: string }).pane);
    expect(panes).toEqual([seen, seen]);
    const adminPanes = to("/push/admin").map((r) => (JSON.parse(decryptWebPush(r.body, adminKeys)) as { pane: string }).pane);
    expect(adminPanes.slice(0, 2)).toEqual([seen, hidden]);
  });

  it("drops a revoked token's subscriptions at the next alert", async () => {
    const other = app.auth.tokens!.create({ name: "short-lived", role: "viewer" });
    const keys = subscriptionKeys();
    expect((await api("/api/push/subscriptions", other.token, { method: "POST", body: { endpoint: `${service.origin}/push/revoked`, keys: keys.json } })).status).toBe(201);
    app.auth.tokens!.revoke("short-lived");
    await signal(seen, "Stop");
    await signal(seen, "PermissionRequest");
    await until(() => to("/push/viewer").length === 3, "the viewer's third push");
    expect(to("/push/revoked")).toEqual([]);
    expect(app.push!.store.list().some((e) => e.endpoint.endsWith("/push/revoked"))).toBe(false);
  });

  it("counts deliveries and gone subscriptions in /metrics", async () => {
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1]);
    expect(value("panecast_push_deliveries_total")).toBe(service.requests.filter((r) => r.path.startsWith("/push/")).length);
    expect(value("panecast_push_gone_total")).toBe(1);
    expect(value("panecast_notifications_sent_total")).toBeGreaterThanOrEqual(4);
  });

  it("DELETE removes the caller's own subscription only", async () => {
    const endpoint = `${service.origin}/push/admin`;
    expect((await api("/api/push/subscriptions", viewer, { method: "DELETE", body: { endpoint } })).json).toEqual({ data: { removed: false } });
    expect((await api("/api/push/subscriptions", admin, { method: "DELETE", body: { endpoint } })).json).toEqual({ data: { removed: true } });
    expect(app.push!.store.list().map((e) => new URL(e.endpoint).pathname)).toEqual(["/push/viewer"]);
  });
});
