import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import type { PanecastApp } from "../../lib/app.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { rawRequest } from "../helpers/raw-http.ts";
import { client, startPanecast } from "../helpers/server.ts";
import { freePort } from "../helpers/net.ts";
import { TestTmux } from "../helpers/tmux.ts";

/**
 * DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 reaches panecast with
 * `Host: evil.example:PORT`. Every route and the Socket.IO handshake must refuse it, auth on or off.
 */
const tmux = new TestTmux();
const servers: PanecastApp[] = [];
let open: { app: PanecastApp; url: string };
let locked: { app: PanecastApp; url: string; token: string };
let proxied: { app: PanecastApp; url: string };

beforeAll(async () => {
  await tmux.newSession("rebind");
  open = await startPanecast(tmux);
  const s = await startWithAuth(tmux);
  locked = { app: s.app, url: s.url, token: s.app.bootstrapToken! };
  const p = await startWithAuth(tmux, "server:\n  trust_proxy: [127.0.0.1/32]\n  public_url: https://panecast.example.com/\n");
  proxied = { app: p.app, url: p.url };
  servers.push(open.app, s.app, p.app);
});

afterAll(async () => {
  for (const a of servers) await a.close();
  await tmux.kill();
});

const ROUTES = ["/", "/dashboard", "/login", "/api/healthz", "/api/readyz", "/api/sessions", "/api/docs", "/api/me", "/metrics", "/_next/static/chunks/main.js", "/_next/image?url=%2F&w=64&q=75", "/socket.io/?EIO=4&transport=polling"];

function port(url: string): string {
  return new URL(url).port;
}

function expectRefused(r: { status: number; body: string }, what: string): void {
  expect(r.status, what).toBe(421);
  expect(JSON.parse(r.body), what).toMatchObject({ error: { code: "HOST_NOT_ALLOWED" } });
}

describe("Host allow-list", () => {
  it("refuses a foreign Host on every route, with auth off and on", async () => {
    for (const s of [open, { url: locked.url }]) {
      for (const route of ROUTES) {
        expectRefused(await rawRequest(s.url, route, { host: `evil.example:${port(s.url)}` }), `${route} on ${s.url}`);
      }
    }
    const withToken = await rawRequest(locked.url, "/api/sessions", { host: `evil.example:${port(locked.url)}`, authorization: `Bearer ${locked.token}` });
    expectRefused(withToken, "a valid token does not make a foreign Host acceptable");
  });

  it("refuses a missing Host and near-misses of allowed names", async () => {
    const p = port(open.url);
    // HTTP/1.1 without Host: Node refuses it itself (requireHostHeader); HTTP/1.0 may omit it.
    expect((await rawRequest(open.url, "/api/sessions", {})).status).toBe(400);
    const reply = await new Promise<string>((resolve, reject) => {
      let text = "";
      const c = net.connect(Number(p), "127.0.0.1", () => c.write("GET /api/sessions HTTP/1.0\r\n\r\n"));
      c.on("data", (b) => (text += b.toString()));
      c.on("end", () => resolve(text));
      c.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.[01] 421 /);
    expect(reply).toContain('"HOST_NOT_ALLOWED"');
    for (const host of ["localhost", `localhost:${Number(p) + 1}`, `localhost.evil.example:${p}`, `127.0.0.1.nip.io:${p}`, `[::2]:${p}`, `evil.example`, `localhost:${p}@evil.example`]) {
      expectRefused(await rawRequest(open.url, "/api/sessions", { host }), host);
    }
  });

  it("answers the loopback names with the port, in any case, with a trailing dot", async () => {
    const p = port(open.url);
    for (const host of [`localhost:${p}`, `LOCALHOST:${p}`, `localhost.:${p}`, `127.0.0.1:${p}`, `[::1]:${p}`]) {
      const r = await rawRequest(open.url, "/api/sessions", { host });
      expect(r.status, host).toBe(200);
    }
  });

  it("ignores X-Forwarded-Host from an untrusted peer, and checks it from a trusted proxy", async () => {
    const p = port(open.url);
    expect((await rawRequest(open.url, "/api/sessions", { host: `127.0.0.1:${p}`, "x-forwarded-host": "evil.example" })).status).toBe(200);
    const pp = port(proxied.url);
    expectRefused(await rawRequest(proxied.url, "/api/healthz", { host: `127.0.0.1:${pp}`, "x-forwarded-host": "evil.example" }), "XFH from the proxy");
    // The proxy passes the public Host (nginx: Host $http_host): public_url makes it valid.
    const ok = await rawRequest(proxied.url, "/api/healthz", { host: "panecast.example.com", "x-forwarded-host": "panecast.example.com", "x-forwarded-proto": "https" });
    expect(ok.status).toBe(200);
    expectRefused(await rawRequest(proxied.url, "/api/healthz", { host: "panecast.example.com:8443", "x-forwarded-proto": "https" }), "public host, other port");
  });

  it("refuses the Socket.IO handshake with a foreign Host over websocket, auth off and on", async () => {
    for (const s of [{ url: open.url, token: undefined }, { url: locked.url, token: locked.token }]) {
      const sock = connect(new URL(s.url).origin, {
        path: "/socket.io",
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
        extraHeaders: { host: `evil.example:${port(s.url)}` },
        ...(s.token ? { auth: { token: s.token } } : {}),
      });
      const outcome = await new Promise<string>((resolve) => {
        sock.once("connect", () => resolve("connected"));
        sock.once("connect_error", (e) => resolve(`refused: ${e.message}`));
      });
      sock.close();
      expect(outcome, s.url).toMatch(/^refused/);
    }
    // The same client with the real Host connects.
    const good = await client(locked.url, { token: locked.token });
    expect((await good.hello).principal.role).toBe("admin");
    good.close();
  });

  it("guards the separate metrics listener (no auth there) the same way", async () => {
    const port = await freePort();
    const m = await startWithAuth(tmux, `metrics:\n  listen: 127.0.0.1:${port}\n`);
    servers.push(m.app);
    const at = `http://127.0.0.1:${port}`;
    expectRefused(await rawRequest(at, "/metrics", { host: `evil.example:${port}` }), "metrics, foreign Host");
    const ok = await rawRequest(at, "/metrics", { host: `127.0.0.1:${port}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("panecast_");
  });
});
