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
let operator: string;
let viewer: string;

test.beforeEach(async () => {
  tmux = new TestTmux();
  // `cat -v` shows every byte it gets: the keys' escape sequences appear on screen as text.
  pane = await tmux.newSession("keys", { width: 80, height: 12, command: "bash -c 'stty raw -echo; exec cat -v'" });
  await tmux.tmux("set-option", "-p", "-t", pane, "@agent_id", "catv");
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-e2e-keys-"));
  const tokensFile = path.join(dir, "state", "tokens.json");
  server = new ServerProcess(["-L", tmux.socketName], { PANECAST_AUTH: "on", PANECAST_TOKENS: tokensFile });
  url = await server.start();
  await server.waitFor(/#token=(pc_\S+)/);
  const store = new TokenStore(tokensFile);
  operator = store.create({ name: "op", role: "operator" }).token;
  viewer = store.create({ name: "watcher", role: "viewer" }).token;
  await until(async () => (await tmux.tmux("display-message", "-p", "-t", pane, "#{pane_current_command}")).trim() === "cat", "cat running");
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
});

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId("login-token").fill(token);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
}

const rows = (page: Page) => page.getByTestId("focused-pane").locator(".xterm-rows");

test("keyboard mode sends Shift-Tab, F5, Esc and Ctrl keys to the pane as they are pressed; the exit chord leaves it and Esc then closes", async ({ page }) => {
  await signIn(page, operator);
  await page.locator(`[data-testid="pane"][data-pane-id="${pane}"]`).click();
  const term = page.getByTestId("focused-pane");
  // No GPU here: xterm.js draws with its DOM renderer, the fallback.
  await expect(term).toHaveAttribute("data-renderer", "dom");
  await page.getByTestId("keyboard-mode").click();
  await expect(page.getByTestId("keyboard-hint")).toContainText("Ctrl+] leaves");
  await expect(page.getByTestId("pane-input-box")).toHaveCount(0);
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("F5");
  await page.keyboard.type("ok");
  await page.keyboard.press("Control+r");
  await page.keyboard.press("PageUp");
  // Esc goes to the pane in keyboard mode: the view stays open.
  await page.keyboard.press("Escape");
  await expect.poll(async () => (await tmux.capture(pane)).trim()).toBe("^[[Z^[[15~ok^R^[[5~^[");
  // The terminal draws the same screen.
  await expect(rows(page)).toContainText("^[[Z^[[15~ok^R^[[5~^[");
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.keyboard.press("Control+]");
  await expect(page.getByTestId("keyboard-mode")).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByTestId("pane-input-box")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("a paste in keyboard mode goes to the pane as a paste, not as keys", async ({ page, context }) => {
  await tmux.tmux("send-keys", "-t", pane, "-l", "");
  await signIn(page, operator);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.locator(`[data-testid="pane"][data-pane-id="${pane}"]`).click();
  await page.getByTestId("keyboard-mode").click();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData("text/plain", "line one\nline two");
    document.querySelector('[data-testid="focused-pane"] textarea')!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  // cat did not ask for bracketed paste: tmux pastes the text as is, the newline as Enter (^M).
  await expect.poll(async () => (await tmux.capture(pane)).trim()).toBe("line one^Mline two");
});

test("a viewer has no keyboard mode and no input box, and typing into its terminal sends nothing", async ({ page }) => {
  await signIn(page, viewer);
  await page.locator(`[data-testid="pane"][data-pane-id="${pane}"]`).click();
  await expect(page.getByTestId("focused-pane")).toBeVisible();
  await expect(page.getByTestId("keyboard-mode")).toHaveCount(0);
  await expect(page.getByTestId("pane-input-box")).toHaveCount(0);
  // Typing into the terminal does nothing: its input is off for a viewer.
  await page.getByTestId("focused-pane").click();
  await page.keyboard.type("zz");
  await page.keyboard.press("Shift+Tab");
  expect((await tmux.capture(pane)).trim()).toBe("");
});

test("search finds a line in the scrollback above the screen", async ({ page }) => {
  await signIn(page, operator);
  for (let i = 1; i <= 40; i++) await tmux.tmux("send-keys", "-t", pane, "-l", `scroll-line-${i}\r\n`);
  await expect(page.locator(`[data-testid="pane"][data-pane-id="${pane}"]`)).toContainText("scroll-line-40");
  await page.locator(`[data-testid="pane"][data-pane-id="${pane}"]`).click();
  await expect(rows(page)).toContainText("scroll-line-40");
  await expect(rows(page)).not.toContainText("scroll-line-3^M");
  await page.getByTestId("terminal-search").fill("scroll-line-3^M");
  await page.getByTestId("terminal-search").press("Enter");
  // The match scrolled into view and is selected, ready to copy.
  await expect(rows(page)).toContainText("scroll-line-3^M");
  await expect(page.getByTestId("search-none")).toHaveCount(0);
  await page.getByTestId("terminal-search").fill("never-printed");
  await page.getByTestId("terminal-search").press("Enter");
  await expect(page.getByTestId("search-none")).toBeVisible();
});
