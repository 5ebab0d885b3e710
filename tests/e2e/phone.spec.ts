import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { TestTmux, until } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let catv: string;
let wide: string;

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test.beforeEach(async () => {
  tmux = new TestTmux();
  // A wide pane with long lines, and one that shows every byte it gets.
  wide = await tmux.newSession("wide", { width: 200, height: 40 });
  catv = await tmux.newSession("phone", { width: 80, height: 12, command: "bash -c 'stty raw -echo; exec cat -v'" });
  await tmux.tmux("set-option", "-p", "-t", catv, "@agent_id", "catv");
  server = new ServerProcess(["-L", tmux.socketName]);
  url = await server.start();
  await until(async () => (await tmux.tmux("display-message", "-p", "-t", catv, "#{pane_current_command}")).trim() === "cat", "cat running");
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
});

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Whether the element is wholly inside the viewport. */
async function onScreen(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).boundingBox();
  const vp = page.viewportSize()!;
  return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height;
}

test("no page scrolls sideways at 390×844, and the header is one row", async ({ page }) => {
  await tmux.type(wide, `echo ${"a-very-long-line-".repeat(12)}`);
  await page.goto(url + "/");
  await expect(page.getByTestId("pane-row")).toHaveCount(2);
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  const header = await page.getByTestId("app-header").boundingBox();
  expect(header!.height).toBeLessThan(60);
  // The rest of the header is in the menu, which opens without widening the page.
  await expect(page.getByTestId("fleet-counts")).toBeHidden();
  await page.getByTestId("header-menu").tap();
  await expect(page.getByTestId("fleet-counts")).toBeVisible();
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  for (const density of ["comfortable", "compact"] as const) {
    await page.getByTestId(`density-${density}`).tap();
    await expect(page.getByTestId("pane-card")).toHaveCount(2);
    expect(await sideways(page), density).toBeLessThanOrEqual(0);
  }
  for (const path of ["/dashboard/dashboard", "/history", "/login"]) {
    await page.goto(url + path);
    await expect(page.locator("body")).toBeVisible();
    expect(await sideways(page), path).toBeLessThanOrEqual(0);
  }
});

test("the list is the default on a phone; the focused view keeps its keys and close button on screen, and a key tapped reaches the pane", async ({ page }) => {
  await page.goto(url + "/");
  await expect(page.getByTestId("density-list")).toHaveAttribute("aria-checked", "true");
  const row = page.locator(`[data-testid="pane-row"][data-pane-id="${catv}"]`);
  await expect(row).toContainText("catv");
  await row.getByRole("button", { name: /open catv/ }).tap();
  await expect(page.getByTestId("focused-pane")).toBeVisible();
  expect(await onScreen(page, "focused-close")).toBe(true);
  expect(await onScreen(page, "key-BTab")).toBe(true);
  expect(await onScreen(page, "key-1")).toBe(true);
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  await page.getByTestId("key-BTab").tap();
  await expect(page.getByTestId("send-result")).toHaveAttribute("data-ok", "true");
  await page.getByTestId("key-1").tap();
  await expect.poll(async () => (await tmux.capture(catv)).trim()).toBe("^[[Z1");
  await page.getByTestId("focused-close").tap();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("density and sort are remembered across a reload; a wide screen starts with the grid", async ({ page, browser }) => {
  await page.goto(url + "/");
  await page.getByTestId("density-compact").tap();
  await page.getByTestId("sort").selectOption("name");
  await expect(page.getByTestId("pane-card")).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId("density-compact")).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("sort")).toHaveValue("name");
  // Sorted by name: catv before the unnamed wide pane (wide:0.0).
  await expect(page.getByTestId("pane-card").first()).toHaveAttribute("data-pane-id", catv);
  // Pinned panes come first, and stay pinned after a reload.
  await page.locator(`[data-pane-card="${wide}"]`).getByTestId("pin").tap();
  await page.reload();
  await expect(page.getByTestId("pinned").getByTestId("pane-card")).toHaveAttribute("data-pane-id", wide);
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await desktop.newPage();
  await p.goto(url + "/");
  await expect(p.getByTestId("density-comfortable")).toHaveAttribute("aria-checked", "true");
  await expect(p.getByTestId("fleet-counts")).toBeVisible();
  await desktop.close();
});

test("every state count in the header is whole at 390×844: a coloured number, named by its state", async ({ page }) => {
  // Four agents in four states (the fake agent of the demo, scripted).
  const agent = path.resolve("demo/agent.mjs");
  const script = { ask: "work:1500,ask", fail: "work:1500,error:600000", busy: "work:600000", done: "work:1500,idle" };
  for (const [name, steps] of Object.entries(script)) {
    await tmux.tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "20", process.execPath, agent, name, "--script", steps);
  }
  await page.goto(url + "/");
  const pills = page.getByTestId("state-count");
  for (const state of ["waiting-for-input", "error", "working", "idle"]) {
    await expect(page.locator(`[data-testid="state-count"][data-state="${state}"]`)).toHaveAccessibleName(`1 ${state === "waiting-for-input" ? "waiting" : state}`);
  }
  const cut = await pills.evaluateAll((els) =>
    els.flatMap((el) => {
      const box = el.getBoundingClientRect();
      const out: string[] = [];
      if (box.left < 0 || box.top < 0 || box.right > window.innerWidth || box.bottom > window.innerHeight) out.push(`${el.textContent} outside the viewport`);
      // Cut by its own box, or by any ancestor that clips what overflows it.
      if (el.scrollWidth > el.clientWidth) out.push(`${el.textContent} wider than its box`);
      for (let a = el.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === "visible" && style.overflowY === "visible") continue;
        const r = a.getBoundingClientRect();
        if (box.left < r.left || box.right > r.right || box.top < r.top || box.bottom > r.bottom) out.push(`${el.textContent} clipped by ${a.tagName}.${a.className}`);
      }
      return out;
    }),
  );
  expect(cut).toEqual([]);
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  const header = await page.getByTestId("app-header").boundingBox();
  expect(header!.height).toBeLessThan(60);
});
