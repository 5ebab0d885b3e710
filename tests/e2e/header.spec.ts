import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

const AGENT = path.resolve("demo/agent.mjs");
let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let dir: string;
let admin: string;
let shell: string;

test.beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "panecast-e2e-header-"));
  const main = path.join(dir, "dashboard.md");
  const history = path.join(dir, "queue.yaml");
  writeFileSync(main, "# Fleet report\n\nAll quiet.\n");
  writeFileSync(history, "commands:\n  - id: cmd_1\n    command: ship it\n    status: done\n");
  tmux = new TestTmux();
  shell = await tmux.newSession("base");
  const tokens = path.join(dir, "state", "tokens.json");
  server = new ServerProcess(["-L", tmux.socketName, "--dashboard", `main=${main}`, "--history", history], { PANECAST_AUTH: "on", PANECAST_TOKENS: tokens });
  url = await server.start();
  admin = (await server.waitFor(/#token=(pc_\S+)/))[1]!;
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** What the page's sockets sent (event names) and received (batches, and the answers to requests). */
interface Wire {
  sent: string[];
  batches: Array<Record<string, unknown>>;
  acks: unknown[];
}

function watchWire(page: Page): Wire {
  const wire: Wire = { sent: [], batches: [], acks: [] };
  const parse = (payload: string | Buffer): [string, unknown] | null => {
    // An engine.io message (4) holding a Socket.IO event (2), with an optional ack id: 42<id>["name", …].
    const m = typeof payload === "string" ? /^42\d*(\[[\s\S]*)$/.exec(payload) : null;
    if (!m) return null;
    const msg = JSON.parse(m[1]!) as [string, unknown];
    return typeof msg[0] === "string" ? msg : null;
  };
  page.on("websocket", (ws) => {
    ws.on("framesent", (f) => {
      const msg = parse(f.payload);
      if (msg) wire.sent.push(msg[0]);
    });
    ws.on("framereceived", (f) => {
      // An answer: 43<id>[payload].
      const ack = typeof f.payload === "string" ? /^43\d+(\[[\s\S]*)$/.exec(f.payload) : null;
      if (ack) wire.acks.push((JSON.parse(ack[1]!) as unknown[])[0]);
      const msg = parse(f.payload);
      if (msg && msg[0] === "batch") wire.batches.push(msg[1] as Record<string, unknown>);
    });
  });
  return wire;
}

/** An agent in its own session that works (printing), then waits for input: screens, events and an alert. */
async function startAgent(): Promise<string> {
  const pane = (
    await tmux.tmux("new-session", "-d", "-s", "agents", "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}", process.execPath, AGENT, "karo", "--script", "work:1500,ask")
  ).trim();
  await tmux.tmux("set-option", "-p", "-t", pane, "@agent_id", "karo");
  return pane;
}

async function expectHeader(page: Page): Promise<void> {
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("whoami")).toHaveAttribute("data-role", "admin");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByTestId("alerts-toggle")).toBeVisible();
  await expect(page.getByTestId("events-toggle")).toBeVisible();
}

test("the dashboard and history pages share the main header, and are sent no pane screen", async ({ page }) => {
  const wire = watchWire(page);
  await page.goto(`${url}/login?next=%2Fdashboard%2Fmain#token=${admin}`);
  await expect(page).toHaveURL(/\/dashboard\/main$/);
  await expectHeader(page);
  await expect(page.getByTestId("doc-rendered")).toContainText("All quiet.");
  await expect(page.getByTestId("doc-status")).toHaveAttribute("data-state", "live");

  const pane = await startAgent();
  // Counts, alerts and events arrive without the grid: from the sessions push, status, alerts and events.
  await expect(page.getByTestId("fleet-counts")).toHaveText("2 sessions · 2 panes");
  await expect(page.locator('[data-testid="state-count"][data-state="waiting-for-input"]')).toContainText("1 waiting");
  await page.getByTestId("alerts-toggle").click();
  await expect(page.getByTestId("alert").first()).toContainText("karo is waiting for input");
  await page.getByTestId("alerts-toggle").click();
  await page.getByTestId("events-toggle").click();
  await page.getByTestId("events-filter-session").selectOption("agents");
  await page.getByTestId("events-filter-type").selectOption("pane.added");
  await expect(page.getByTestId("events-panel").getByTestId("event")).toContainText(pane);
  await page.getByTestId("events-toggle").click();

  await page.goto(`${url}/history`);
  await expectHeader(page);
  await expect(page.getByTestId("history-entry")).toContainText("ship it");
  await expect(page.getByTestId("doc-status")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("fleet-counts")).toHaveText("2 sessions · 2 panes");

  // The pane printed all along and its screen was never sent: no subscribe, no topology, no updates.
  expect(wire.sent).toContain("doc:subscribe");
  expect(wire.sent).toContain("events:subscribe");
  expect(wire.sent).not.toContain("subscribe");
  expect(wire.batches.some((b) => b.sessions !== undefined)).toBe(true);
  expect(wire.batches.filter((b) => b.updates !== undefined || b.topology !== undefined)).toEqual([]);
  expect(wire.acks.filter((a) => JSON.stringify(a).includes('"updates"'))).toEqual([]);

  // The same watch on the main page does see the screens, in the subscribe answer and in batches:
  // the checks above could fail.
  await page.goto(`${url}/`);
  await expect(page.getByTestId("pane-card").filter({ has: page.locator(`[data-pane-id="${pane}"]`) })).toHaveCount(1);
  expect(wire.sent).toContain("subscribe");
  expect(wire.acks.some((a) => JSON.stringify(a).includes('"updates"'))).toBe(true);
  await tmux.type(shell, "echo header-marker");
  await expect.poll(() => wire.batches.some((b) => b.updates !== undefined)).toBe(true);
});

test("an alert on a document page opens its pane on the main page, and sign-out works there", async ({ page }) => {
  await page.goto(`${url}/login?next=%2Fhistory#token=${admin}`);
  await expectHeader(page);
  const pane = await startAgent();
  await page.getByTestId("alerts-toggle").click();
  await page.getByTestId("alert").first().getByText("karo is waiting for input").click();
  await expect(page).toHaveURL(new RegExp(`/\\?pane=${encodeURIComponent(pane)}$`));
  await expect(page.locator(`[data-pane-id="${pane}"]`).first()).toBeVisible();

  await page.goto(`${url}/history`);
  await expectHeader(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(`${url}/history`);
  await expect(page).toHaveURL(/\/login\?next=%2Fhistory$/);
});
