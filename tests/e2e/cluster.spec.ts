import { expect, test } from "@playwright/test";
import { TestRedis } from "../helpers/redis.ts";
import path from "node:path";
import { agentArgv } from "../helpers/agent-script.ts";
import { TestTmux, freshName, until } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

const redis = new TestRedis();
const tmuxA = new TestTmux();
const tmuxB = new TestTmux();
let alpha: ServerProcess;
let beta: ServerProcess;
let url: string;
let paneA: string;
let paneB: string;

test.beforeAll(async () => {
  await redis.start();
  paneA = await tmuxA.newSession("alpha-agents", { width: 90, height: 20 });
  paneB = await tmuxB.newSession("beta-agents", { width: 90, height: 20 });
  alpha = new ServerProcess(["-L", tmuxA.socketName], { PANECAST_NODE: "alpha", PANECAST_REDIS_URL: redis.url });
  beta = new ServerProcess(["-L", tmuxB.socketName], { PANECAST_NODE: "beta", PANECAST_REDIS_URL: redis.url });
  url = await alpha.start();
  await beta.start();
});

test.afterAll(async () => {
  await alpha?.stop();
  await beta?.stop();
  await tmuxA.kill();
  await tmuxB.kill();
  await redis.stop();
});

const paneEl = (page: import("@playwright/test").Page, id: string) => page.locator(`[data-testid="pane"][data-pane-id="${id}"]`);

// Before the test that stops beta: one tap on alpha's page answers beta's agent.
test("alpha's page lists beta's waiting agent in the needs-you strip, and one tap there answers it on beta", async ({ page }) => {
  const session = freshName("beta-deploy");
  const local = (await tmuxB.tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "20", "-P", "-F", "#{pane_id}", ...agentArgv(path.resolve("tests/fixtures/needs-you/yes-no.sh")))).trim();
  await page.goto(url + "/");
  const item = page.locator(`[data-testid="needs-you-item"][data-pane="beta/${local}"]`);
  await expect(item).toContainText("Deploy now? [y/n]");
  // Two nodes can run agents of the same name: the item names its node.
  await expect(item.getByTestId("needs-you-node")).toHaveText("beta");
  await expect(item.getByTestId("answer")).toHaveText(["Yes", "No"]);
  await item.getByTestId("answer").first().click();
  await expect(item).toHaveCount(0);
  await until(async () => (await tmuxB.capture(local)).includes("answer: y"), "beta's script read y");
  await tmuxB.tmux("kill-session", "-t", session);
  // Gone from the page before the next test counts beta's sessions.
  await expect(page.locator(`section[aria-label="session ${session}"]`)).toHaveCount(0);
});

test("one page shows both nodes' panes, live, and greys a node that stops", async ({ page }) => {
  await page.goto(url + "/");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expect(page.locator('section[data-node="alpha"]')).toContainText("alpha-agents");
  await expect(page.locator('section[data-node="beta"]')).toContainText("beta-agents");
  await tmuxA.type(paneA, "echo on-alpha-$((1+1))");
  await tmuxB.type(paneB, "echo on-beta-$((2+2))");
  await expect(paneEl(page, `alpha/${paneA}`)).toContainText("on-alpha-2");
  await expect(paneEl(page, `beta/${paneB}`)).toContainText("on-beta-4");

  await beta.stop();
  await expect(page.locator('section[data-node="beta"]')).toHaveAttribute("data-offline", "true");
  await expect(page.locator('section[data-node="beta"]').getByTestId("node-badge")).toContainText("offline");
  await expect(paneEl(page, `beta/${paneB}`)).toContainText("on-beta-4");
  // Its pane's state is offline (not its last one); its focused view says so, and answering is disabled.
  const betaCard = page.locator(`[data-testid="pane-card"][data-pane-id="beta/${paneB}"]`);
  await expect(betaCard.getByTestId("agent-status")).toHaveAttribute("data-state", "offline");
  await betaCard.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("focused-pane")).toHaveAttribute("data-pane-id", `beta/${paneB}`);
  await expect(page.getByTestId("focused-offline")).toContainText("node beta offline");
  await expect(page.getByTestId("pane-input")).toBeDisabled();
  await expect(page.getByTestId("pane-send")).toBeDisabled();
});
