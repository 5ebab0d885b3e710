import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { TokenStore } from "../../lib/auth/tokens.ts";
import { TestTmux, until } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let pane: string;
let admin: string;
let operator: string;
let viewer: string;

test.beforeAll(async () => {
  tmux = new TestTmux();
  pane = await tmux.newSession("agents", { width: 90, height: 20 });
  await tmux.tmux("set-option", "-p", "-t", pane, "@agent_id", "karo");
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-e2e-auth-"));
  // The token file in a state directory of its own: documents are never served from there.
  const tokensFile = path.join(dir, "state", "tokens.json");
  server = new ServerProcess(["-L", tmux.socketName, "--history", path.join(dir, "h.yaml")], { PANECAST_AUTH: "on", PANECAST_TOKENS: tokensFile });
  url = await server.start();
  admin = (await server.waitFor(/#token=(pc_\S+)/))[1]!;
  const store = new TokenStore(tokensFile);
  operator = store.create({ name: "op", role: "operator" }).token;
  viewer = store.create({ name: "watcher", role: "viewer" }).token;
});

test.afterAll(async () => {
  await server?.stop();
  await tmux?.kill();
});

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId("login-token").fill(token);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
}

test("pages need a session: the first-start link signs in the admin", async ({ page }) => {
  await page.goto(`${url}/`);
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await page.goto(`${url}/login#token=${admin}`);
  await expect(page.getByTestId("whoami")).toHaveAttribute("data-role", "admin");
  expect(new URL(page.url()).hash).toBe("");
});

test("a wrong token is refused with a clear message, with or without JavaScript", async ({ page, browser }) => {
  await page.goto(`${url}/login`);
  await page.getByTestId("login-token").fill("pc_0000000000000000_" + "x".repeat(43));
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toContainText("not valid");
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const p = await noJs.newPage();
  await p.goto(`${url}/login?next=%2Fhistory`);
  await p.getByTestId("login-token").fill(viewer);
  await p.getByTestId("login-submit").click();
  // The redirect carries the session's page key in its fragment (no server sees it; a script would keep it).
  await expect(p).toHaveURL(new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}/history#page=[A-Za-z0-9_-]{43}$`));
  await noJs.close();
});

test("a token that signed in too often this minute is told so, with or without JavaScript", async ({ page, browser, request }) => {
  // A server of its own that allows one login a token a minute: the second is refused for a minute.
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-e2e-logins-"));
  const own = new ServerProcess(["-L", tmux.socketName, "--history", path.join(dir, "h.yaml")], { PANECAST_AUTH: "on", PANECAST_TOKENS: path.join(dir, "state", "tokens.json"), PANECAST_LOGINS_PER_TOKEN_PER_MINUTE: "1" });
  const at = await own.start();
  try {
    const token = (await own.waitFor(/#token=(pc_\S+)/))[1]!;
    const login = async () => (await request.post(`${at}/api/login`, { data: { token } })).status();
    expect([await login(), await login()]).toEqual([200, 429]);
    await page.goto(`${at}/login`);
    await page.getByTestId("login-token").fill(token);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toContainText("signed in too often");
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(`${at}/login`);
    await p.getByTestId("login-token").fill(token);
    await p.getByTestId("login-submit").click();
    await expect(p).toHaveURL(/\/login\?error=logins$/);
    await expect(p.getByTestId("login-error")).toContainText("signed in too often");
    await noJs.close();
  } finally {
    await own.stop();
  }
});

test("an operator types to an agent from the browser and sees it run", async ({ page }) => {
  await signIn(page, operator);
  await page.locator(`[data-testid="pane"][data-pane-id="${pane}"]`).click();
  const input = page.getByTestId("pane-input");
  await input.fill("echo from-the-browser-$((40+2))");
  await input.press("Control+Enter");
  await expect(page.getByTestId("send-result")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("send-result")).toContainText("seen on the pane");
  await expect(page.getByTestId("focused-pane").locator(".xterm-rows > div").filter({ hasText: /^from-the-browser-42\s*$/ })).toHaveCount(1);
  await until(async () => (await tmux.capture(pane)).split("\n").includes("from-the-browser-42"), "the command's output in tmux");

  // Interrupting keys ask first.
  await tmux.type(pane, "sleep 300");
  await page.getByTestId("key-C-c").click();
  await expect(page.getByRole("alertdialog", { name: "confirm" })).toContainText("Send C-c to karo?");
  await page.getByTestId("confirm-send").click();
  await expect(page.getByTestId("send-result")).toContainText("sent 1 key");
  await until(async () => (await tmux.capture(pane)).trimEnd().endsWith("$"), "the prompt after C-c");
});

test("a viewer sees the panes but no input controls", async ({ page }) => {
  await signIn(page, viewer);
  await expect(page.getByTestId("whoami")).toHaveAttribute("data-role", "viewer");
  await page.locator(`[data-testid="pane"][data-pane-id="${pane}"]`).click();
  await expect(page.getByTestId("focused-pane")).toBeVisible();
  await expect(page.getByTestId("pane-input-box")).toHaveCount(0);
});

test("the JavaScript sign-in goes only to a page of this site, whatever `next` says", async ({ page }) => {
  const site = new URL(url).origin;
  for (const next of ["/%5Cevil.example/x", "//evil.example/x", "/%2F%2Fevil.example", "%2F%5Cevil.example", "/%09/evil.example", "https://evil.example/"]) {
    await page.context().clearCookies();
    await page.goto(`${url}/login?next=${next}#token=${viewer}`);
    await expect(page.getByTestId("whoami")).toHaveAttribute("data-role", "viewer");
    expect(new URL(page.url()).origin, next).toBe(site);
    expect(new URL(page.url()).pathname, next).toBe("/");
  }
  await page.context().clearCookies();
  await page.goto(`${url}/login?next=%2Fhistory#token=${viewer}`);
  await expect(page).toHaveURL(`${url}/history`);
});
