// npm run screenshots — the main page with a 32-pane fleet of demo agents (4 sessions of 8), at
// 1920×1080 and at 390×844 (touch), the grid and a focused pane, into a scratch folder (or the one given). Prints, per size,
// whether the page scrolls sideways and where the first waiting agent is. Real tmux (private socket),
// the real server and UI, Debian's Chromium.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { ServerProcess } from "../tests/e2e/server-process.ts";
import { TestTmux } from "../tests/helpers/tmux.ts";

const out = process.argv[2] ?? mkdtempSync(path.join(tmpdir(), "panecast-shots-"));
mkdirSync(out, { recursive: true });
const scratch = mkdtempSync(path.join(tmpdir(), "panecast-shots-data-"));
const tmux = new TestTmux();
const agent = (name: string) =>
  `env PANECAST_DEMO_LOG=${scratch}/answers.log PANECAST_DEMO_DASHBOARD=${scratch}/dashboard.md PANECAST_DEMO_HISTORY=${scratch}/history.yaml ${process.execPath} ${path.resolve("demo/agent.mjs")} ${name}`;
for (const session of ["shogun", "karo", "ashigaru", "scouts"]) {
  for (let i = 0; i < 8; i++) {
    const name = `${session}-${i + 1}`;
    const pane = i === 0 ? await tmux.newSession(session, { width: 240, height: 80, command: agent(name) }) : await tmux.split(`${session}:0`, agent(name));
    await tmux.tmux("set-option", "-p", "-t", pane, "@agent_id", name);
    await tmux.tmux("select-layout", "-t", `${session}:0`, "tiled");
  }
}
const server = new ServerProcess(["-L", tmux.socketName]);
const url = await server.start();
const browser = await chromium.launch({ executablePath: process.env.PANECAST_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  // Let the agents print and some reach a question.
  await new Promise((r) => setTimeout(r, 8000));
  for (const [name, size, touch] of [["desktop-1920x1080", { width: 1920, height: 1080 }, false], ["phone-390x844", { width: 390, height: 844 }, true]] as const) {
    const context = await browser.newContext({ viewport: size, hasTouch: touch, isMobile: touch, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(url + "/");
    await page.waitForSelector('[data-testid="pane-card"], [data-testid="pane-row"]');
    await page.waitForTimeout(1500);
    const file = path.join(out, `${name}.png`);
    await page.screenshot({ path: file });
    const facts = await page.evaluate(() => {
      const waiting = document.querySelector('[data-state="waiting-for-input"]');
      return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        firstWaitingTop: waiting ? Math.round(waiting.getBoundingClientRect().top) : null,
      };
    });
    console.log(name, file, JSON.stringify(facts));
    // The focused view of the first pane listed.
    await page.locator('[data-testid="pane"], [data-testid="pane-row"] button').first().click();
    await page.waitForSelector('[data-testid="focused-pane"] .xterm-rows');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(out, `${name}-focused.png`) });
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
  await tmux.kill();
}
