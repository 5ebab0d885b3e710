import path from "node:path";
import { expect, test } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let alpha: string;
let beta: string;

test.beforeAll(async () => {
  tmux = new TestTmux();
  alpha = await tmux.newSession("alpha", { width: 60, height: 10 });
  beta = await tmux.newSession("beta", { width: 60, height: 10 });
  await tmux.tmux("set-option", "-p", "-t", beta, "@agent_id", "ashigaru-beta");
  server = new ServerProcess(["-L", tmux.socketName]);
  url = await server.start();
});

test.afterAll(async () => {
  await server.stop();
  await tmux.kill();
});

const background = (page: import("@playwright/test").Page, selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);

test("the theme follows the system on auto, can be chosen in the header, is remembered, and screens stay dark", async ({ browser }) => {
  const light = await browser.newContext({ colorScheme: "light" });
  const page = await light.newPage();
  await page.goto(url + "/");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "auto");
  expect(await background(page, "body")).toBe("rgb(255, 255, 255)");
  expect(await background(page, ".term-surface")).toBe("rgb(11, 14, 20)");
  await light.close();

  const dark = await browser.newContext({ colorScheme: "dark" });
  const p2 = await dark.newPage();
  await p2.goto(url + "/");
  expect(await background(p2, "body")).toBe("rgb(11, 14, 20)");
  await p2.getByTestId("theme").selectOption("light");
  await expect.poll(() => background(p2, "body")).toBe("rgb(255, 255, 255)");
  await p2.reload();
  await expect(p2.locator("html")).toHaveAttribute("data-theme", "light");
  expect(await background(p2, "body")).toBe("rgb(255, 255, 255)");
  await expect(p2.getByTestId("theme")).toHaveValue("light");
  await dark.close();
});

test("the grid works from the keyboard: arrows move between cards, Enter opens one, / filters by name", async ({ page }) => {
  await page.goto(url + "/");
  const cards = page.locator("[data-pane-card]");
  await expect(cards).toHaveCount(2);
  const active = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.paneCard ?? null);
  await cards.first().focus();
  const first = await active();
  await page.keyboard.press("ArrowRight");
  const second = await active();
  expect(second).not.toBeNull();
  expect(second).not.toBe(first);
  expect([first, second].sort()).toEqual([alpha, beta].sort());
  await page.keyboard.press("ArrowLeft");
  expect(await active()).toBe(first);

  await page.keyboard.press("Enter");
  await expect(page.getByTestId("focused-pane")).toHaveAttribute("data-pane-id", first!);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("focused-pane")).toHaveCount(0);

  await page.locator("body").click({ position: { x: 1, y: 300 } });
  await page.keyboard.press("/");
  await expect(page.getByTestId("pane-filter")).toBeFocused();
  await page.keyboard.type("beta");
  await expect(cards).toHaveCount(1);
  await expect(cards).toHaveAttribute("data-pane-card", beta);
  await page.keyboard.press("Escape");
  await expect(cards).toHaveCount(2);
});

test("a filter by state follows the agents: a card shows once its agent reaches that state", async ({ page }) => {
  await page.goto(url + "/");
  const cards = page.locator("[data-pane-card]");
  await expect(cards).toHaveCount(2);
  await page.getByTestId("pane-filter").fill("waiting");
  await expect(cards).toHaveCount(0);
  const agent = (
    await tmux.tmux("new-session", "-d", "-s", "agents", "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}", process.execPath, path.resolve("demo/agent.mjs"), "karo", "--script", "work:3000,ask")
  ).trim();
  try {
    // Working at first: not shown; then waiting for input, and shown without touching the filter.
    await expect(cards).toHaveCount(1, { timeout: 20_000 });
    await expect(cards).toHaveAttribute("data-pane-card", agent);
    await expect(cards.getByTestId("agent-status")).toHaveAttribute("data-state", "waiting-for-input");
  } finally {
    await tmux.tmux("kill-session", "-t", "=agents");
  }
});
