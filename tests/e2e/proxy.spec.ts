import { mkdtempSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { io } from "socket.io-client";
import { freePort } from "../helpers/net.ts";
import { TestTmux } from "../helpers/tmux.ts";
import { Nginx } from "./nginx.ts";
import { ServerProcess } from "./server-process.ts";

test.describe.configure({ timeout: 180_000 });

let tmux: TestTmux;
let server: ServerProcess;
let nginx: Nginx;
let pane: string;
let publicUrl: string;
let token: string;

test.beforeAll(async () => {
  tmux = new TestTmux();
  pane = await tmux.newSession("remote", { width: 90, height: 20 });
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-proxy-"));
  // nginx passes the browser's Host (docs/deploy.md): public_url makes it one panecast answers to.
  const proxyPort = await freePort();
  writeFileSync(
    path.join(dir, "panecast.yaml"),
    `server:\n  trust_proxy: [127.0.0.1/32]\n  public_url: https://127.0.0.1:${proxyPort}/panecast\naudit:\n  path: ${dir}/audit.jsonl\n`,
  );
  server = new ServerProcess(["-L", tmux.socketName, "--base-path", "/panecast", "--config", path.join(dir, "panecast.yaml")], {
    PANECAST_AUTH: "on",
    PANECAST_TOKENS: path.join(dir, "tokens.json"),
  });
  const direct = await server.start();
  token = (await server.waitFor(/log in at \S+#token=(pc_\S+)/))[1]!;
  nginx = new Nginx();
  publicUrl = await nginx.start({ basePath: "/panecast", upstreamPort: Number(new URL(direct).port), port: proxyPort });
});

test.afterAll(async () => {
  await nginx?.stop();
  await server?.stop();
  await tmux?.kill();
});

test.use({ ignoreHTTPSErrors: true });

/** A Socket.IO client through the proxy (websocket only), presenting `origin`; resolves how it ended. */
function connectThrough(origin: string): Promise<string> {
  const s = io(`https://127.0.0.1:${nginx.port}`, {
    path: "/panecast/socket.io",
    auth: { token },
    rejectUnauthorized: false,
    reconnection: false,
    forceNew: true,
    transports: ["websocket"],
    extraHeaders: { origin },
  });
  return new Promise<string>((resolve) => {
    s.once("connect", () => (s.close(), resolve("connected")));
    s.once("connect_error", (e) => (s.close(), resolve(`refused: ${e.message}`)));
  });
}

test("through nginx over TLS under /panecast: the page loads, signs in, and streams a pane over wss", async ({ page }) => {
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  const login = await page.goto(`${publicUrl}/login#token=${token}`);
  expect(login!.status()).toBe(200);
  expect(login!.url().startsWith("https://")).toBe(true);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  expect(new URL(page.url()).pathname).toBe("/panecast");
  // Over TLS the cookie is __Host- (so Path=/), and the page holds its session's page key in storage.
  const cookie = (await page.context().cookies()).find((c) => c.name === "__Host-panecast_session")!;
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
  expect(await page.evaluate(() => localStorage.getItem("panecast.pageKey"))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await tmux.type(pane, "echo through-the-proxy-$((6*7))");
  await expect(page.locator(`[data-testid="pane"][data-pane-id="${pane}"]`)).toContainText("through-the-proxy-42");
  expect(sockets.some((u) => u.startsWith(`wss://127.0.0.1:${nginx.port}/panecast/socket.io/`))).toBe(true);
});

test("a Socket.IO client upgrades from polling to wss through the proxy", async () => {
  const s = io(`https://127.0.0.1:${nginx.port}`, { path: "/panecast/socket.io", auth: { token }, rejectUnauthorized: false, reconnection: false, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      s.io.engine?.once("upgrade", () => resolve());
      s.once("connect", () => s.io.engine.once("upgrade", () => resolve()));
      s.once("connect_error", reject);
    });
    expect(s.io.engine.transport.name).toBe("websocket");
  } finally {
    s.close();
  }
});

test("a foreign Origin is refused through the proxy", async () => {
  expect(await connectThrough("https://evil.example")).toMatch(/^refused/);
  expect(await connectThrough(`https://127.0.0.1:${nginx.port}`)).toBe("connected");
});

test("a foreign Host is refused through the proxy (DNS rebinding); the public one is served", async () => {
  const status = (host: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request({ host: "127.0.0.1", port: nginx.port, path: "/panecast/api/healthz", headers: { host }, rejectUnauthorized: false }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
  const evil = await status(`evil.example:${nginx.port}`);
  expect(evil.status).toBe(421);
  expect(JSON.parse(evil.body)).toMatchObject({ error: { code: "HOST_NOT_ALLOWED" } });
  expect((await status(`127.0.0.1:${nginx.port}`)).status).toBe(200);
});
