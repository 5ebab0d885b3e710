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

/** The first scrollback line number ("L042") the terminal shows at its top. */
const topLine = (page: Page) =>
  page.getByTestId("focused-pane").locator(".xterm-rows").evaluate((el) => Number(/L(\d{3})/.exec(el.textContent ?? "")?.[1] ?? NaN));

/** Opens the wide pane (200 columns) with 150 numbered lines and its prompt past column 150. */
async function openWide(page: Page) {
  // A long name: the focused view's header still keeps to one row.
  await tmux.tmux("set-option", "-p", "-t", wide, "@agent_id", "wide-agent-with-a-long-name");
  await tmux.type(wide, "seq -f 'L%03g' 1 150");
  await until(async () => (await tmux.capture(wide)).includes("L150"), "numbers printed");
  await tmux.type(wide, "printf '%0150d' 0");
  await page.goto(url + "/");
  await page.locator(`[data-testid="pane-row"][data-pane-id="${wide}"]`).getByRole("button", { name: /^open / }).tap();
  await expect(page.getByTestId("focused-pane").locator(".xterm-rows")).toContainText("L150");
}

test("a wide pane's focused view is readable on a phone: the box scrolls sideways from the cursor, fills down to the input panel, and scrolls back by touch", async ({ page }) => {
  await openWide(page);
  const term = page.getByTestId("focused-pane");
  const box = page.getByTestId("focused-scroll");
  // A readable font, on the terminal's own rows (the DOM renderer: no GPU here).
  await expect(term).toHaveAttribute("data-font-px", /\d+/);
  expect(Number(await term.getAttribute("data-font-px"))).toBeGreaterThanOrEqual(12);
  const rowsPx = await term.locator(".xterm-rows").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(rowsPx).toBeGreaterThanOrEqual(12);
  // The box scrolls sideways inside itself; the page never does.
  expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  // Opened where the prompt waits: the cursor (past column 150) is inside the box.
  await expect.poll(() => box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  const inBox = await box.evaluate((el) => {
    const c = el.querySelector(".xterm-cursor")?.getBoundingClientRect();
    const b = el.getBoundingClientRect();
    return !!c && c.left >= b.left && c.right <= b.right && c.top >= b.top && c.bottom <= b.bottom;
  });
  expect(inBox).toBe(true);
  // The terminal's box reaches the input panel: no empty band between them.
  const boxRect = (await box.boundingBox())!;
  const panel = (await page.getByTestId("pane-input-box").boundingBox())!;
  expect(Math.abs(panel.y - (boxRect.y + boxRect.height))).toBeLessThanOrEqual(3);
  const background = await box.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background).toBe("rgb(11, 14, 20)");
  for (const id of ["focused-close", "key-BTab", "key-Enter", "key-1"]) expect(await onScreen(page, id), id).toBe(true);
  expect((await page.getByRole("dialog").locator("header").boundingBox())!.height).toBeLessThan(50);

  // A finger dragged down the terminal shows older lines (xterm.js 6 has no touch scrolling of its own).
  const before = await topLine(page);
  expect(before).toBeGreaterThan(100);
  const cdp = await page.context().newCDPSession(page);
  const x = boxRect.x + boxRect.width / 2;
  const drag = async (from: number, to: number) => {
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y: from }] });
    for (let i = 1; i <= 8; i++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y: from + ((to - from) * i) / 8 }] });
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  };
  await drag(boxRect.y + 20, boxRect.y + boxRect.height - 20);
  await expect.poll(() => topLine(page)).toBeLessThan(before);
  const older = await topLine(page);
  // And dragged up, newer ones again.
  await drag(boxRect.y + boxRect.height - 20, boxRect.y + 20);
  await expect.poll(() => topLine(page)).toBeGreaterThan(older);
  expect(await sideways(page)).toBeLessThanOrEqual(0);
});

test("the fit toggle shrinks a wide pane to the width, and is remembered by the browser", async ({ page }) => {
  await openWide(page);
  const term = page.getByTestId("focused-pane");
  const fit = page.getByTestId("terminal-fit");
  await expect(fit).toHaveAttribute("aria-pressed", "false");
  await fit.tap();
  await expect(fit).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => Number(await term.getAttribute("data-font-px"))).toBeLessThan(12);
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  await page.reload();
  await page.locator(`[data-testid="pane-row"][data-pane-id="${wide}"]`).getByRole("button", { name: /^open / }).tap();
  await expect(page.getByTestId("terminal-fit")).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => Number(await page.getByTestId("focused-pane").getAttribute("data-font-px"))).toBeLessThan(12);
  // And back to the readable size.
  await page.getByTestId("terminal-fit").tap();
  await expect.poll(async () => Number(await page.getByTestId("focused-pane").getAttribute("data-font-px"))).toBeGreaterThanOrEqual(12);
});
