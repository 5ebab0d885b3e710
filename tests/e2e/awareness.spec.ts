import path from "node:path";
import { expect, test } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

const AGENT = path.resolve("demo/agent.mjs");
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

test("badges follow the agent's state, the header counts them, and alerts and events show up", async ({ page }) => {
  await page.goto(`${url}/`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  const pane = (
    await tmux.tmux("new-session", "-d", "-s", "agents", "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}", process.execPath, AGENT, "karo", "--script", "work:1500,ask,error:60000")
  ).trim();
  await tmux.tmux("set-option", "-p", "-t", pane, "@agent_id", "karo");
  const card = page.locator("article", { has: page.locator(`[data-pane-id="${pane}"]`) });
  const badge = card.getByTestId("agent-status");
  await expect(badge).toHaveAttribute("data-state", "working");
  await expect(badge).toHaveAttribute("data-state", "waiting-for-input");
  await expect(page.locator('[data-testid="state-count"][data-state="waiting-for-input"]')).toContainText("1 waiting");

  await page.getByTestId("alerts-toggle").click();
  await expect(page.getByTestId("alert").first()).toHaveAttribute("data-kind", "waiting-for-input");
  await expect(page.getByTestId("alert").first()).toContainText("karo is waiting for input");

  await tmux.type(pane, "1");
  await expect(badge).toHaveAttribute("data-state", "error");
  // The card says why (a tool's error names no known cause: unknown), and so does the alert.
  await expect(card.getByTestId("error-reason")).toHaveAttribute("data-reason", "unknown");
  await expect(page.locator('[data-testid="alert"][data-kind="error"]')).toContainText("karo hit an error (unknown)");
  // The error line is highlighted in the pane view.
  await expect(card.locator('[data-severity="error"]')).toContainText("Error: ENOENT");

  await page.getByTestId("alerts-toggle").click();
  await page.getByTestId("events-toggle").click();
  await page.getByTestId("events-filter-type").selectOption("agent.status");
  await page.getByTestId("events-filter-session").selectOption("agents");
  const events = page.getByTestId("events-panel").getByTestId("event");
  await expect(events.first()).toContainText("→ error");
  await expect(events.filter({ hasText: "→ waiting-for-input" })).toHaveCount(1);
  for (const e of await events.all()) await expect(e).toHaveAttribute("data-type", "agent.status");
  await page.getByTestId("events-filter-type").selectOption("pane.added");
  await expect(events).toHaveCount(1);
  await expect(events.first()).toContainText(pane);
});

test("resource figures are on the card and in the header strip", async ({ page }) => {
  await page.goto(`${url}/`);
  await expect(page.getByTestId("host-strip")).toContainText(/load \d+\.\d\d · mem/);
  await expect(page.getByTestId("pane-resources").first()).toContainText(/\d+% cpu · \d+/);
});
