import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { agentArgv } from "../helpers/agent-script.ts";
import { ServerProcess } from "./server-process.ts";

const FIXTURES = path.resolve("tests/fixtures/needs-you");
let tmux: TestTmux;
let server: ServerProcess;
let url: string;

test.beforeEach(async () => {
  tmux = new TestTmux();
  server = new ServerProcess(["-L", tmux.socketName]);
  url = await server.start();
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
});

/** A session whose pane runs the yes/no prompt as an agent; returns the pane id. */
async function waitingAgent(session: string): Promise<string> {
  return (await tmux.tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "12", "-P", "-F", "#{pane_id}", ...agentArgv(path.join(FIXTURES, "yes-no.sh")))).trim();
}

const waitingCount = (page: Page) => page.locator('[data-testid="state-count"][data-state="waiting-for-input"]');
const cardOf = (page: Page, pane: string) => page.locator(`[data-testid="pane-card"][data-pane-id="${pane}"]`);

/** The strip lists these panes' items, and no other unmuted one. */
async function stripShows(page: Page, panes: string[]): Promise<void> {
  await expect(page.getByTestId("needs-you")).toHaveAttribute("data-count", String(panes.length));
  await expect(page.locator('[data-testid="needs-you-item"]:not([data-muted])')).toHaveCount(panes.length);
  for (const p of panes) await expect(page.locator(`[data-testid="needs-you-item"][data-pane="${p}"]`)).toBeVisible();
}

test("a muted pattern leaves the counts and the needs-you strip, dims and sorts its panes last, and survives a reload", async ({ page }) => {
  // Three panes, two page loads and a dozen steps: more than the default budget on a busy machine.
  test.setTimeout(150_000);
  const build = await waitingAgent("build-web");
  const work = await waitingAgent("work");
  const shell = (await tmux.tmux("new-session", "-d", "-s", "aa-shell", "-x", "100", "-y", "12", "-P", "-F", "#{pane_id}", "env", "PS1=$ ", "bash", "--norc", "--noprofile")).trim();

  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`${url}/`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await stripShows(page, [build, work]);
  await expect(waitingCount(page)).toContainText("2 waiting");
  // The plain shell is a non-agent pane: muted by default, out of the counts, dimmed.
  await expect(cardOf(page, shell)).toHaveAttribute("data-muted", "true");
  await expect(page.getByTestId("mute-control")).toHaveAttribute("data-muted", "1");
  await expect(page.locator('[data-testid="state-count"][data-state="quiet"], [data-testid="state-count"][data-state="running"]')).toHaveCount(0);

  // Mute `build-*` from the triage control.
  await page.getByTestId("mute-control").click();
  await page.getByTestId("mute-pattern").fill("build-*");
  await page.getByTestId("mute-pattern-add").click();
  await expect(page.getByTestId("mute-rule")).toHaveText(["build-*✕"]);
  await page.getByTestId("mute-control").click();

  const afterMute = async () => {
    await stripShows(page, [work]);
    await expect(waitingCount(page)).toContainText("1 waiting");
    await expect(page.getByTestId("mute-control")).toHaveAttribute("data-muted", "2");
    await expect(cardOf(page, build)).toHaveAttribute("data-muted", "true");
    await expect(cardOf(page, work)).not.toHaveAttribute("data-muted", /.*/);
    await expect(page.getByTestId("needs-you")).toHaveAttribute("data-muted", "1");
    // Muted cards come after every heard one, whatever the session order.
    const order = await page.locator('[data-testid="pane-card"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-muted") === "true"));
    expect(order).toEqual([false, true, true]);
    // The Alerts count leaves the muted item out.
    await expect(page.getByTestId("alerts-toggle")).toHaveText("Alerts 1");
  };
  await afterMute();
  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await afterMute();

  // The muted item is still there, behind its toggle.
  await page.getByTestId("needs-you-muted").click();
  await expect(page.locator(`[data-testid="needs-you-item"][data-pane="${build}"]`)).toHaveAttribute("data-muted", "true");

  // The card's menu hears one pane against the pattern, then mutes another by itself.
  await cardOf(page, build).getByTestId("mute-menu-toggle").click();
  await cardOf(page, build).getByTestId("unmute-pane").click();
  await expect(cardOf(page, build)).not.toHaveAttribute("data-muted", /.*/);
  await expect(waitingCount(page)).toContainText("2 waiting");
  await cardOf(page, work).getByTestId("mute-menu-toggle").click();
  await cardOf(page, work).getByTestId("mute-pane").click();
  await stripShows(page, [build]);
  await expect(waitingCount(page)).toContainText("1 waiting");

  // Removing every rule and the default mute brings every pane back into the counts.
  await page.getByTestId("mute-control").click();
  await page.getByTestId("mute-non-agents").uncheck();
  while ((await page.getByTestId("mute-rule").count()) > 0) await page.getByTestId("mute-rule-remove").first().click();
  await expect(page.getByTestId("mute-control")).toHaveAttribute("data-muted", "0");
  await expect(waitingCount(page)).toContainText("2 waiting");
  await expect(page.locator('[data-testid="state-count"][data-state="quiet"], [data-testid="state-count"][data-state="running"]')).toHaveCount(1);
});
