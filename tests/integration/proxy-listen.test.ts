import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { Nginx } from "../e2e/nginx.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { freePort } from "../helpers/net.ts";
import { freshName, TestTmux } from "../helpers/tmux.ts";

// The reverse proxy gets its own door (server.proxy_listen): forwarded headers are believed there
// only. On the main port any local process is just a client, whatever X-Forwarded-* it sends.

const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let audit: string;
let sock: string;
let nginxPort: number;
const nginx = new Nginx();

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request over the proxy's unix socket, as a proxy would send it. */
function viaSocket(p: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: sock, path: p, method: body === undefined ? "GET" : "POST", headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const json = { "content-type": "application/json" };
const forwarded = (ip: string) => ({ host: `127.0.0.1:${nginxPort}`, "x-forwarded-for": ip, "x-forwarded-proto": "https", "x-forwarded-host": `127.0.0.1:${nginxPort}` });
const bad = JSON.stringify({ token: `pc_${"0".repeat(16)}_${"B".repeat(43)}` });

async function auditLines(): Promise<Array<Record<string, unknown>>> {
  await app.auth.audit.flush();
  return readFileSync(audit, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  await tmux.newSession("p");
  sock = path.join(mkdtempSync(path.join(tmpdir(), "pc-proxy-")), "proxy.sock");
  nginxPort = await freePort();
  const s = await startWithAuth(tmux, `server:\n  proxy_listen: ${sock}\n  public_url: https://127.0.0.1:${nginxPort}\nauth:\n  login_failures_per_minute: 2\n`);
  ({ app, url, audit } = s);
  await nginx.start({ basePath: "/", upstreamSocket: sock, port: nginxPort });
}, 60_000);

afterAll(async () => {
  await nginx.stop();
  await app?.close();
  await tmux.kill();
});

describe("server.proxy_listen", () => {
  it("is a unix socket only its owner and group may open (mode 0660 by default)", () => {
    const st = statSync(sock);
    expect(st.isSocket()).toBe(true);
    expect((st.mode & 0o777).toString(8)).toBe("660");
  });

  it("the main port believes no X-Forwarded-* from anyone: the peer is the client, the cookie not Secure, one attempt bucket", async () => {
    const codes: number[] = [];
    for (const ip of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) {
      const r = await fetch(`${url}/api/login`, { method: "POST", headers: { ...json, "x-forwarded-for": ip, "x-forwarded-proto": "https" }, body: bad });
      codes.push(r.status);
    }
    // Had the forged addresses been believed, each would have had its own bucket of two.
    expect(codes).toEqual([401, 401, 429]);
    const ok = await fetch(`${url}/api/login`, { method: "POST", headers: { ...json, "x-forwarded-proto": "https" }, body: JSON.stringify({ token: app.bootstrapToken }) });
    expect(ok.headers.get("set-cookie")).toMatch(/^panecast_session=.*SameSite=Strict$/);
    const failed = (await auditLines()).filter((l) => l.event === "login.failed");
    expect(failed.map((l) => l.remote)).toContain("127.0.0.1");
    expect(failed.map((l) => l.remote)).not.toContain("198.51.100.1");
  });

  it("over the socket the proxy's headers are believed: the client's address is audited and the cookie is __Host- and Secure", async () => {
    const r = await viaSocket("/api/login", { ...json, ...forwarded("203.0.113.7") }, JSON.stringify({ token: app.bootstrapToken }));
    expect(r.status).toBe(200);
    expect(String(r.headers["set-cookie"])).toMatch(/^__Host-panecast_session=[^;]+; Path=\/; .*; Secure$/);
    expect((await auditLines()).some((l) => l.event === "login" && l.remote === "203.0.113.7")).toBe(true);
  });

  it("a valid token is never refused for others' bad attempts from the same forwarded address", async () => {
    const from = forwarded("203.0.113.9");
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await viaSocket("/api/login", { ...json, ...from }, bad)).status);
    expect(codes).toEqual([401, 401, 429, 429]);
    // Still refused for a wrong one, through for the right one: login, bearer, and a socket's token.
    expect((await viaSocket("/api/login", { ...json, ...from }, bad)).status).toBe(429);
    const token = app.auth.tokens!.create({ name: freshName("valid"), role: "viewer" }).token;
    expect((await viaSocket("/api/login", { ...json, ...from }, JSON.stringify({ token }))).status).toBe(200);
    expect((await viaSocket("/api/sessions", { ...from, authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await viaSocket("/api/sessions", { ...from, authorization: `Bearer ${token}x` })).status).toBe(429);
  });

  it("real nginx proxies to the socket (docs/deploy.md's recipe): https sign-in and a wss socket, its client's address from X-Forwarded-For", async () => {
    const token = app.auth.tokens!.create({ name: freshName("nginx"), role: "viewer" }).token;
    const s = io(`https://127.0.0.1:${nginxPort}`, { transports: ["websocket"], auth: { token }, rejectUnauthorized: false, reconnection: false, forceNew: true });
    try {
      const hello = await new Promise<{ principal: { name: string } }>((resolve, reject) => {
        s.once("hello", resolve);
        s.once("connect_error", reject);
      });
      expect(hello.principal.name).toMatch(/^nginx/);
    } finally {
      s.disconnect();
    }
    // nginx appends the address it saw (127.0.0.1) to what the client claimed: panecast takes nginx's.
    const r = await new Promise<Answer>((resolve, reject) => {
      const req = https.request(
        { host: "127.0.0.1", port: nginxPort, path: "/api/login", method: "POST", headers: { ...json, "x-forwarded-for": "192.0.2.66" }, rejectUnauthorized: false },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" }));
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify({ token }));
    });
    expect(r.status).toBe(200);
    expect(String(r.headers["set-cookie"])).toMatch(/^__Host-panecast_session=/);
    const logins = (await auditLines()).filter((l) => l.event === "login" && String(l.token).startsWith("nginx"));
    expect(logins.map((l) => l.remote)).toEqual(["127.0.0.1"]);
  });
});

describe("server.proxy_listen at start", () => {
  it("refuses a path that is not a socket, and uses mode 0600 when asked", async () => {
    const t2 = new TestTmux();
    await t2.newSession("q");
    const dir = mkdtempSync(path.join(tmpdir(), "pc-proxy-"));
    const file = path.join(dir, "not-a-socket");
    writeFileSync(file, "x");
    try {
      await expect(startWithAuth(t2, `server:\n  proxy_listen: ${file}\n`)).rejects.toThrow(/is not a socket/);
      const other = path.join(dir, "p.sock");
      const s = await startWithAuth(t2, `server:\n  proxy_listen: ${other}\n  proxy_socket_mode: "600"\n`);
      expect((statSync(other).mode & 0o777).toString(8)).toBe("600");
      await s.app.close();
    } finally {
      await t2.kill();
    }
  });
});
