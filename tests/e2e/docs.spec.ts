import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let dir: string;
let main: string;
let team: string;
let history: string;

test.beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "panecast-e2e-docs-"));
  main = path.join(dir, "dashboard.md");
  team = path.join(dir, "team.md");
  history = path.join(dir, "queue.yaml");
  writeFileSync(main, "# Fleet report\n\nFirst version.\n");
  tmux = new TestTmux();
  await tmux.newSession("docs");
  server = new ServerProcess(["-L", tmux.socketName, "--dashboard", `main=${main},team=${team}`, "--history", history]);
  url = await server.start();
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
  rmSync(dir, { recursive: true, force: true });
});

test("a dashboard edit shows up without a reload, keeping the scroll position", async ({ page }) => {
  const long = Array.from({ length: 150 }, (_, i) => `Paragraph ${i} of the report.`).join("\n\n");
  writeFileSync(main, `# Fleet report\n\n${long}\n\nTail: v1\n`);
  await page.goto(`${url}/dashboard/main`);
  await expect(page.getByTestId("doc-rendered")).toContainText("Tail: v1");
  await expect(page.getByTestId("doc-status")).toHaveAttribute("data-state", "live");
  await page.evaluate(() => window.scrollTo(0, 1500));
  await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));
  writeFileSync(main, `# Fleet report\n\n${long}\n\nTail: v2 written by karo\n`);
  await expect(page.getByTestId("doc-rendered")).toContainText("Tail: v2 written by karo");
  expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - 1500)).toBeLessThanOrEqual(2);
});

test("script, event handlers and javascript: links in dashboard.md are inert", async ({ page }) => {
  writeFileSync(
    main,
    "# Report\n\n<script>window.__pwned = 1</script>\n\n<img src=x onerror=\"window.__pwned = 2\">\n\n[click me](javascript:window.__pwned=3)\n\n[fine](https://example.com)\n",
  );
  await page.goto(`${url}/dashboard/main`);
  const article = page.getByTestId("doc-rendered");
  await expect(article).toContainText("<script>window.__pwned = 1</script>");
  await expect(article.locator("script, img")).toHaveCount(0);
  await expect(article.getByText("click me")).toBeVisible();
  await expect(article.locator("a", { hasText: "click me" })).toHaveCount(0);
  await expect(article.locator("a", { hasText: "fine" })).toHaveAttribute("href", "https://example.com");
  await article.getByText("click me").click();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test("a missing dashboard names its file (never the server's absolute path), then goes live when the file appears", async ({ page }) => {
  await page.goto(`${url}/dashboard/team`);
  const problem = page.getByTestId("doc-problem");
  await expect(problem).toHaveAttribute("data-state", "missing");
  // Outside the server's working directory a document is named by its file alone.
  await expect(problem).toContainText(`${path.basename(team)} does not exist`);
  await expect(problem).not.toContainText(path.dirname(team));
  await expect(page.getByTestId("doc-status")).toHaveAttribute("data-state", "live");
  writeFileSync(team, "# Team\n\n- [x] shipped\n");
  await expect(page.getByTestId("doc-rendered")).toContainText("shipped");
  await expect(page.getByTestId("doc-rendered").locator("input[type=checkbox]")).toBeChecked();
});

test("too large and binary files get a clear message", async ({ page }) => {
  writeFileSync(main, Buffer.alloc(3 * 1024 * 1024, "a"));
  await page.goto(`${url}/dashboard/main`);
  await expect(page.getByTestId("doc-problem")).toHaveAttribute("data-state", "too-large");
  await expect(page.getByTestId("doc-problem")).toContainText("3.0 MB, over the limit of 2.0 MB");
  writeFileSync(main, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
  await expect(page.getByTestId("doc-problem")).toHaveAttribute("data-state", "binary");
});

test("raw and rendered views, tabs for each dashboard, and it works without JavaScript", async ({ page, browser }) => {
  await page.goto(`${url}/dashboard/main`);
  await expect(page.getByRole("navigation", { name: "pages" }).getByRole("link")).toHaveText(["Panes", "main", "team", "History"]);
  await page.getByTestId("view-raw").click();
  await expect(page.getByTestId("doc-raw")).toContainText("# Fleet report");
  await page.getByTestId("view-rendered").click();
  await expect(page.getByTestId("doc-rendered").locator("h1")).toHaveText(/Fleet report/);
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const p = await noJs.newPage();
  await p.goto(`${url}/dashboard/main`);
  await expect(p.getByTestId("doc-rendered")).toContainText("First version.");
  await noJs.close();
});

test("the command history is a live timeline, newest first, with bulk expand", async ({ page }) => {
  writeFileSync(history, 'queue:\n  - id: cmd_001\n    timestamp: "2026-01-01T09:00:00"\n    command: first task\n    status: done\n    note: extra field\n');
  await page.goto(`${url}/history`);
  await expect(page.getByTestId("history-entry")).toHaveCount(1);
  await expect(page.getByTestId("doc-status")).toHaveAttribute("data-state", "live");
  writeFileSync(
    history,
    'queue:\n  - id: cmd_001\n    timestamp: "2026-01-01T09:00:00"\n    command: first task\n    status: done\n    note: extra field\n  - id: cmd_002\n    timestamp: "2026-01-02T09:00:00"\n    command: second task\n    status: pending\n    assigned_to: ashigaru2\n',
  );
  await expect(page.getByTestId("history-entry")).toHaveCount(2);
  await expect(page.getByTestId("history-entry").first()).toContainText("cmd_002");
  await page.getByTestId("expand-all").click();
  await expect(page.getByText("note: extra field")).toBeVisible();
  await page.getByTestId("collapse-all").click();
  await expect(page.getByText("note: extra field")).toBeHidden();
  writeFileSync(history, "queue:\n  - id: 1\n    command: [broken\n");
  await expect(page.getByTestId("doc-problem")).toHaveAttribute("data-state", "invalid");
  await expect(page.getByTestId("doc-problem")).toContainText("line 4");
});

test("a dashboard built to render slowly says so, remote images stay links, and /_next/image is not served", async ({ page, request }) => {
  const remote: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("tracker.example")) remote.push(r.url());
  });
  // 1200 nested list levels: far past the 5 s default render budget; the worker is stopped.
  writeFileSync(main, `${Array.from({ length: 1200 }, (_, i) => `${"  ".repeat(i)}- level ${i}`).join("\n")}\n`);
  await page.goto(`${url}/dashboard/main`);
  await expect(page.getByTestId("doc-problem")).toHaveAttribute("data-state", "too-slow", { timeout: 30_000 });
  await expect(page.getByTestId("doc-problem")).toContainText("docs.render_timeout_ms");
  writeFileSync(main, "# Pixels\n\n![tracking pixel](https://tracker.example/p.png)\n");
  const link = page.locator("article a", { hasText: "tracking pixel" });
  await expect(link).toHaveAttribute("href", "https://tracker.example/p.png");
  await expect(page.locator("article img")).toHaveCount(0);
  expect(remote).toEqual([]);
  expect((await request.get(`${url}/_next/image?url=%2Fdashboard&w=64&q=75`)).status()).toBe(404);
});
