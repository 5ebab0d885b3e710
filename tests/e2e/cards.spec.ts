import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let quiet: string;
let busy: string;

test.beforeEach(async () => {
  tmux = new TestTmux();
  // Outside any git work tree: a commit elsewhere must not change what the quiet card shows.
  const cwd = mkdtempSync(path.join(tmpdir(), "panecast-cards-"));
  const shell = ["env", "PS1=$ ", "bash", "--norc", "--noprofile"];
  quiet = (await tmux.tmux("new-session", "-d", "-s", "cards", "-x", "160", "-y", "12", "-c", cwd, "-P", "-F", "#{pane_id}", ...shell)).trim();
  busy = (await tmux.tmux("split-window", "-d", "-h", "-t", quiet, "-c", cwd, "-P", "-F", "#{pane_id}", ...shell)).trim();
  // One resource sample only (at connect): a later one may legitimately change the quiet pane's CPU
  // figure (its shell ran `echo`), which is its own card's news, not the busy pane's.
  const config = path.join(cwd, "panecast.yaml");
  writeFileSync(config, "resources:\n  interval_ms: 600000\n");
  server = new ServerProcess(["-L", tmux.socketName, "--config", config]);
  url = await server.start();
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
});

type Win = { __panecastRenders?: Record<string, number>; __panecastWasted?: Record<string, number>; __quietLine?: Node | null };
const card = (page: import("@playwright/test").Page, id: string) => page.locator(`[data-testid="pane-card"][data-pane-id="${id}"]`);

test("a card does not re-render, nor replace its lines, while another pane streams and changes state", async ({ page }) => {
  // Render counts are kept only when the page finds this set before it loads.
  await page.addInitScript(() => ((window as unknown as Win).__panecastRenders = {}));
  await page.goto(url + "/");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  // Wait for the command's output, not its echo: while the echo is all there is, the cursor is still
  // on the first line, and the line changes again (without the cursor) once Enter is handled.
  await tmux.type(quiet, "echo quiet-$((40 + 2))");
  await expect(card(page, quiet).getByTestId("pane")).toContainText("quiet-42");
  // Wait until everything the quiet pane will show has arrived: status, resources.
  // Both are plain shells, non-agent panes: quiet while still, running while they print.
  await expect(card(page, quiet).getByTestId("agent-status")).toHaveAttribute("data-state", "quiet");
  await expect(card(page, quiet).getByTestId("pane-resources")).toBeVisible();
  await expect(card(page, busy).getByTestId("agent-status")).toHaveAttribute("data-state", "quiet");
  const before = await page.evaluate((id) => {
    const w = window as unknown as Win;
    w.__quietLine = document.querySelector(`[data-testid="pane"][data-pane-id="${id}"]`)?.firstChild ?? null;
    return { renders: w.__panecastRenders![id] ?? 0, wasted: w.__panecastWasted?.[id] ?? 0 };
  }, quiet);
  expect(before.renders).toBeGreaterThan(0);

  // The other pane streams lines (its screen, its state, its command and resources all change).
  await tmux.type(busy, "for i in $(seq 1 40); do echo busy-$i; sleep 0.05; done; echo busy-done");
  await expect(card(page, busy).getByTestId("agent-status")).toHaveAttribute("data-state", "running");
  await expect(card(page, busy).getByTestId("pane")).toContainText("busy-done");
  await expect(card(page, busy).getByTestId("agent-status")).toHaveAttribute("data-state", "quiet");

  const after = await page.evaluate((id) => {
    const w = window as unknown as Win;
    const first = document.querySelector(`[data-testid="pane"][data-pane-id="${id}"]`)?.firstChild ?? null;
    return { wasted: w.__panecastWasted?.[id] ?? 0, sameNode: first !== null && first === w.__quietLine, busy: Object.keys(w.__panecastRenders!).length };
  }, quiet);
  // A render of the quiet card with the same inputs as its last one came from the busy pane. Its own
  // news (a resource sample, however late it lands) is a different input, and may render it.
  expect(after.wasted).toBe(before.wasted);
  expect(after.sameNode).toBe(true);
  expect(after.busy).toBe(2);
});
