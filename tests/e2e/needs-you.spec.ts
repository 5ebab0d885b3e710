import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { TestTmux, until } from "../helpers/tmux.ts";
import { agentArgv } from "../helpers/agent-script.ts";
import { ServerProcess } from "./server-process.ts";

const FIXTURES = path.resolve("tests/fixtures/needs-you");
let tmux: TestTmux;
let server: ServerProcess;
let url: string;

test.beforeEach(async () => {
  tmux = new TestTmux();
  await tmux.newSession("base");
  server = new ServerProcess(["-L", tmux.socketName]);
  url = await server.start();
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
});

/** A session whose pane runs one of the prompt scripts; returns the pane id. */
async function prompt(session: string, script: string): Promise<string> {
  return (await tmux.tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "20", "-P", "-F", "#{pane_id}", ...agentArgv(path.join(FIXTURES, script)))).trim();
}

/** The item is drawn inside the viewport, without scrolling. */
async function onFirstScreen(page: Page, pane: string): Promise<void> {
  const item = page.locator(`[data-testid="needs-you-item"][data-pane="${pane}"]`);
  await expect(item).toBeVisible();
  const box = (await item.boundingBox())!;
  const vp = page.viewportSize()!;
  expect(box.y + box.height).toBeLessThanOrEqual(vp.height);
  expect(box.x + Math.min(box.width, 40)).toBeLessThanOrEqual(vp.width);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
}

test("a waiting pane in a 32-pane fleet is on the first screen at desktop and phone size, survives a reload, and goes when answered in tmux", async ({ page }) => {
  // 33 panes and two page loads: more than the default budget on a busy machine.
  test.setTimeout(180_000);
  // 31 busy-looking shells in 8 sessions, and the waiting one in the last session.
  for (let s = 0; s < 8; s++) {
    await tmux.newSession(`fleet-${s}`);
    for (let p = 0; p < (s === 7 ? 2 : 3); p++) await tmux.split(`fleet-${s}`);
    await tmux.tmux("select-layout", "-t", `fleet-${s}`, "tiled");
  }
  const pane = await prompt("zz-deploy", "yes-no.sh");
  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    await page.goto(`${url}/`);
    await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
    // Cards on a desktop; narrow screens start with the list, a row per pane.
    await expect(page.locator(viewport.width > 640 ? "article" : '[data-testid="pane-row"]')).toHaveCount(33);
    await onFirstScreen(page, pane);
    await expect(page.getByTestId("needs-you-item")).toHaveCount(1);
    await expect(page.getByTestId("needs-you-item")).toContainText("Deploy now? [y/n]");
  }
  await page.reload();
  await onFirstScreen(page, pane);
  await tmux.tmux("send-keys", "-t", pane, "n", "Enter");
  await expect(page.getByTestId("needs-you-item")).toHaveCount(0);
  await expect(page.getByTestId("needs-you")).toContainText("Nothing needs you");
  // The Alerts panel keeps it as resolved lately.
  await page.getByTestId("alerts-toggle").click();
  await expect(page.locator(`[data-testid="alerts-resolved-item"][data-pane="${pane}"]`)).toBeVisible();
});

test("the queue survives a server restart", async ({ page }) => {
  const pane = await prompt("deploy", "yes-no.sh");
  await page.goto(`${url}/`);
  const item = page.locator(`[data-testid="needs-you-item"][data-pane="${pane}"]`);
  await expect(item).toBeVisible();
  await server.stop();
  url = await server.start();
  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expect(item).toBeVisible();
});

test("a one-tap answer on a real [y/n] question types y and Enter, and the item goes", async ({ page }) => {
  const pane = await prompt("deploy", "yes-no.sh");
  await page.goto(`${url}/`);
  const item = page.locator(`[data-testid="needs-you-item"][data-pane="${pane}"]`);
  await expect(item.getByTestId("answer")).toHaveText(["Yes", "No"]);
  await item.getByTestId("answer").first().click();
  await expect(item).toHaveCount(0);
  await until(async () => (await tmux.capture(pane)).includes("answer: y"), "the script read y");
});

test("a tap on a prompt the screen no longer shows is refused (STALE_PROMPT) and types nothing", async ({ page }) => {
  const pane = await prompt("deploy", "two-questions.sh");
  // Hold back the page's queue updates, as a slow phone would, while the screen moves on.
  let frozen = false;
  await page.routeWebSocket(/socket\.io/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => {
      if (frozen && typeof m === "string" && m.includes('"needsYou"')) return;
      ws.send(m);
    });
    ws.onMessage((m) => server.send(m));
  });
  await page.goto(`${url}/`);
  const item = page.locator(`[data-testid="needs-you-item"][data-pane="${pane}"]`);
  await expect(item).toContainText("Deploy now?");
  frozen = true;
  await tmux.tmux("send-keys", "-t", pane, "y", "Enter");
  await until(async () => (await tmux.capture(pane)).includes("Also migrate the database? [y/n]"), "the second question");
  await expect(item).toContainText("Deploy now?");
  await item.getByTestId("answer").last().click();
  await expect(item.getByTestId("answer-problem")).toContainText("The prompt changed");
  expect(await tmux.capture(pane)).not.toMatch(/database\? \[y\/n\] n/);
});

test("header counts filter the grid, and n opens the next pane that needs you", async ({ page }) => {
  const first = await prompt("deploy-a", "yes-no.sh");
  await page.goto(`${url}/`);
  await expect(page.getByTestId("needs-you-item")).toHaveCount(1);
  const second = await prompt("deploy-b", "yes-no.sh");
  await expect(page.getByTestId("needs-you-item")).toHaveCount(2);
  await page.locator('[data-testid="state-count"][data-state="waiting-for-input"]').click();
  await expect(page.getByTestId("pane-filter")).toHaveValue("waiting-for-input");
  await expect(page.locator("article")).toHaveCount(2);
  await page.getByTestId("pane-filter").blur();
  await page.keyboard.press("n");
  await expect(page.getByTestId("focused-pane")).toHaveAttribute("data-pane-id", first);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("focused-pane")).toHaveCount(0);
  await page.keyboard.press("n");
  await expect(page.getByTestId("focused-pane")).toHaveAttribute("data-pane-id", second);
});
