import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let pane: string;
const WIDTH = 90;

test.beforeEach(async () => {
  tmux = new TestTmux();
  pane = await tmux.newSession("term", { width: WIDTH, height: 20 });
  server = new ServerProcess(["-L", tmux.socketName]);
  url = await server.start();
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
});

const card = (page: Page) => page.locator(`[data-testid="pane"][data-pane-id="${pane}"]`);

/** Each screen line's text and the right edge (px) of its last `│`. */
async function borders(pre: Locator): Promise<Array<{ text: string; right: number }>> {
  return pre.evaluate((el) => {
    const out: Array<{ text: string; right: number }> = [{ text: "", right: -1 }];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent ?? "";
      for (let i = 0; i < t.length; i++) {
        if (t[i] === "\n") {
          out.push({ text: "", right: -1 });
          continue;
        }
        const line = out[out.length - 1]!;
        line.text += t[i];
        if (t[i] === "│") {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          line.right = r.getBoundingClientRect().right;
        }
      }
    }
    return out;
  });
}

test("a box around CJK text keeps its right border aligned with an ASCII line's, in the card and the focused view", async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-cjk-"));
  // 将軍 and 家老 take two cells each: both inner lines are 13 cells wide, as the borders are.
  writeFileSync(path.join(dir, "box.txt"), "╭───────────╮\n│ 将軍 家老 │\n│ abcd efgh │\n╰───────────╯\n");
  await page.goto(url + "/");
  await tmux.type(pane, `clear; cat ${path.join(dir, "box.txt")}`);
  await expect(card(page)).toContainText("abcd efgh");
  for (const focused of [false, true]) {
    let lines: Array<{ text: string; right: number }>;
    if (focused) {
      // The focused view is a terminal (xterm.js): one element per row.
      await card(page).click();
      const rows = page.getByTestId("focused-pane").locator(".xterm-rows > div");
      await expect(rows.filter({ hasText: "abcd efgh" })).toHaveCount(1);
      lines = await rows.evaluateAll((els) => els.map((el) => ({ text: el.textContent ?? "", right: Math.max(-1, ...[...el.querySelectorAll("span")].filter((s) => s.textContent?.endsWith("│")).map((s) => s.getBoundingClientRect().right)) })));
    } else {
      lines = await borders(card(page));
    }
    const cjk = lines.find((l) => l.text.includes("将軍"))!;
    const ascii = lines.find((l) => l.text.includes("abcd efgh"))!;
    expect(cjk.right).toBeGreaterThan(0);
    expect(Math.abs(cjk.right - ascii.right)).toBeLessThanOrEqual(1);
  }
});

test("the cursor is shown where tmux has it: dimmed in the card, solid in the focused view, not at all when hidden", async ({ page }) => {
  await page.goto(url + "/");
  await tmux.type(pane, "clear");
  await tmux.tmux("send-keys", "-t", pane, "-l", "echo cursor-here");
  await expect(card(page)).toContainText("$ echo cursor-here");
  const col = "$ echo cursor-here".length;
  const cursorIn = (pre: Locator) => pre.locator('[data-testid="cursor"]');
  await expect(cursorIn(card(page))).toHaveCount(1);
  const where = (pre: Locator) =>
    pre.evaluate((el, width) => {
      const box = el.getBoundingClientRect();
      const cursor = el.querySelector('[data-testid="cursor"]')!;
      return { cell: (cursor.getBoundingClientRect().left - box.left) / (box.width / width), opacity: Number(getComputedStyle(cursor).opacity) };
    }, WIDTH);
  const inCard = await where(card(page));
  expect(Math.abs(inCard.cell - col)).toBeLessThan(0.1);
  expect(inCard.opacity).toBeLessThan(1);

  await card(page).click();
  // The focused view is a terminal (xterm.js) with the cursor where tmux has it.
  const screen = page.getByTestId("focused-pane").locator(".xterm-screen");
  await expect(screen.locator(".xterm-cursor")).toHaveCount(1);
  const inFocus = await screen.evaluate((el, width) => {
    const box = el.getBoundingClientRect();
    const cursor = el.querySelector(".xterm-cursor")!;
    return { cell: (cursor.getBoundingClientRect().left - box.left) / (box.width / width), opacity: Number(getComputedStyle(cursor).opacity) };
  }, WIDTH);
  expect(Math.abs(inFocus.cell - col)).toBeLessThan(0.1);
  expect(inFocus.opacity).toBe(1);
  await page.keyboard.press("Escape");

  // Typing moves it; hiding it (DECTCEM off) removes it.
  await tmux.tmux("send-keys", "-t", pane, "-l", " x");
  await expect.poll(async () => Math.round((await where(card(page))).cell)).toBe(col + 2);
  await tmux.tmux("send-keys", "-t", pane, "C-u");
  await tmux.type(pane, "printf '\\033[?25l'");
  await expect(cursorIn(card(page))).toHaveCount(0);
});

test("coloured trailing cells reach the right edge, and only http(s) URLs are links", async ({ page }) => {
  // BLUEBAR and 83 blue spaces: the whole 90-cell row is blue (tmux drops trailing spaces without -N).
  await page.goto(url + "/");
  await tmux.type(pane, "clear; printf '\\033[44mBLUEBAR%83s\\033[0m\\n' ''; echo 'docs at https://example.com/guide. or javascript:alert(1) or file:///etc/passwd'");
  await expect(card(page)).toContainText("docs at https://example.com/guide.");
  const bar = card(page).locator("span", { hasText: /^BLUEBAR/ }).last();
  await expect.poll(async () => (await bar.textContent())?.length).toBe(WIDTH);
  const links = card(page).locator("a");
  await expect(links).toHaveCount(1);
  await expect(links).toHaveAttribute("href", "https://example.com/guide");
  await expect(links).toHaveAttribute("rel", /noopener/);
});

test("the terminal font is bundled and served by panecast, with faces for box drawing, ⎿ and spinners", async ({ page }) => {
  const fonts: string[] = [];
  page.on("response", (r) => {
    if (/\.woff2$/.test(r.url())) fonts.push(`${new URL(r.url()).origin} ${r.status()}`);
  });
  await page.goto(url + "/");
  const loaded = await page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const [family, text] of [
      ["panecast-mono", "╭─│❯●"],
      ["panecast-technical", "⎿"],
      ["panecast-symbols", "⠋⏺"],
    ] as const) {
      out[family] = (await document.fonts.load(`13px "${family}"`, text)).map((f) => f.status);
    }
    return out;
  });
  expect(loaded).toEqual({ "panecast-mono": ["loaded"], "panecast-technical": ["loaded"], "panecast-symbols": ["loaded"] });
  expect(fonts.length).toBeGreaterThanOrEqual(3);
  for (const f of fonts) expect(f).toBe(`${new URL(url).origin} 200`);
});
