import { expect, test } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let pane: string;

test.beforeEach(async () => {
  tmux = new TestTmux();
  pane = await tmux.newSession("agents", { width: 90, height: 20 });
  await tmux.tmux("set-option", "-p", "-t", pane, "@agent_id", "karo");
  server = new ServerProcess(["-L", tmux.socketName]);
  url = await server.start();
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
});

const paneEl = (page: import("@playwright/test").Page, id: string) => page.locator(`[data-testid="pane"][data-pane-id="${id}"]`);

test("text printed in a pane appears on the page, in colour", async ({ page }) => {
  await page.goto(url + "/");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expect(page.getByText("karo", { exact: true })).toBeVisible();
  await tmux.type(pane, "printf 'plain \\033[31mREDWORD\\033[0m after\\n'");
  await expect(paneEl(page, pane)).toContainText("plain REDWORD after");
  const red = paneEl(page, pane).locator("span", { hasText: /^REDWORD$/ });
  const color = await red.evaluate((el) => getComputedStyle(el).color);
  const [r, g, b] = color.match(/\d+/g)!.map(Number);
  expect(r).toBeGreaterThan(180);
  expect(g).toBeLessThan(120);
  expect(b).toBeLessThan(120);
});

test("HTML printed in a pane renders as text", async ({ page }) => {
  await page.goto(url + "/");
  await tmux.type(pane, "echo '<img src=x onerror=window.__pwned=1><b>bold</b>'");
  await expect(paneEl(page, pane)).toContainText("<img src=x onerror=window.__pwned=1><b>bold</b>");
  await expect(paneEl(page, pane).locator("img, b")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test("two browsers show identical panes", async ({ browser }) => {
  const [a, b] = await Promise.all([browser.newPage(), browser.newPage()]);
  await Promise.all([a.goto(url + "/"), b.goto(url + "/")]);
  await tmux.type(pane, "for i in 1 2 3 4 5; do echo row-$i; done; echo twin-$((40+2))");
  await expect(paneEl(a, pane)).toContainText("twin-42");
  await expect(paneEl(b, pane)).toContainText("twin-42");
  expect(await paneEl(a, pane).textContent()).toBe(await paneEl(b, pane).textContent());
});

test("the focused view shows the pane large, with its scrollback, and closes with Escape", async ({ page }) => {
  await page.goto(url + "/");
  await tmux.type(pane, "for i in $(seq 1 60); do echo history-line-$i; done");
  await expect(paneEl(page, pane)).toContainText("history-line-60");
  // The screen (20 rows) no longer shows the early lines: only scrollback does.
  expect(await paneEl(page, pane).textContent()).not.toMatch(/^history-line-5$/m);
  await paneEl(page, pane).click();
  const focused = page.getByTestId("focused-pane");
  await expect(focused).toBeVisible();
  const rows = focused.locator(".xterm-rows > div");
  await expect(rows.filter({ hasText: /^history-line-60\s*$/ })).toHaveCount(1);
  // The scrollback tmux kept above the screen is in the terminal's: scrolled to the top, it shows.
  await focused.hover();
  await expect(async () => {
    await page.mouse.wheel(0, -20_000);
    await expect(rows.filter({ hasText: /^history-line-1\s*$/ })).toHaveCount(1, { timeout: 1000 });
  }).toPass();
  await page.keyboard.press("Escape");
  await expect(focused).toHaveCount(0);
});

test("the indicator shows reconnecting while the server is down, then live with current content, without a reload", async ({ page }) => {
  await page.goto(url + "/");
  const status = page.getByTestId("connection-status");
  await expect(status).toHaveAttribute("data-state", "live");
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await server.stop();
  await expect(status).toHaveAttribute("data-state", "reconnecting");
  await expect(status).toContainText(/retry in \d+s/);
  await tmux.type(pane, "echo typed-while-down-$((3*3))");
  await server.start();
  await expect(status).toHaveAttribute("data-state", "live", { timeout: 20_000 });
  await expect(paneEl(page, pane)).toContainText("typed-while-down-9");
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test("a killed session disappears from the page", async ({ page }) => {
  const other = await tmux.newSession("doomed");
  await page.goto(url + "/");
  await expect(paneEl(page, other)).toBeVisible();
  await tmux.tmux("kill-session", "-t", "=doomed");
  await expect(paneEl(page, other)).toHaveCount(0);
  await expect(paneEl(page, pane)).toBeVisible();
});

test("is usable at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url + "/");
  // Narrow screens start with the list: one row per pane.
  await expect(page.locator(`[data-testid="pane-row"][data-pane-id="${pane}"]`)).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
