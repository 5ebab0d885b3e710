import { expect, test, type Page } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let pane: string;

test.beforeAll(async () => {
  tmux = new TestTmux();
  pane = await tmux.newSession("rec", { width: 70, height: 12 });
  server = new ServerProcess(["-L", tmux.socketName]);
  url = await server.start();
  const recorded = async () => (await fetch(`${url}/api/recordings/${encodeURIComponent(pane)}?format=json`)).text();
  // Each echo is recorded (flushed within a second) before the next is typed: output printed before
  // the session's control client attached is read once it attaches, so the two would otherwise
  // share one recorded screen, and there would be no screen of the first alone to step back to.
  await tmux.type(pane, "echo first-marker");
  await expect.poll(recorded, { timeout: 15_000 }).toContain("first-marker");
  await tmux.type(pane, "echo second-marker");
  await expect.poll(recorded, { timeout: 15_000 }).toContain("second-marker");
});

test.afterAll(async () => {
  await server.stop();
  await tmux.kill();
});

const screenText = (page: Page) => page.getByTestId("timeline-screen").textContent();

test("the focused view's timeline rewinds with [ and ], by dragging, and L returns live", async ({ page }) => {
  await page.goto(`${url}/?pane=${encodeURIComponent(pane)}`);
  const timeline = page.getByTestId("timeline");
  await expect(timeline).toBeVisible();
  await expect(page.getByTestId("timeline-band").first()).toBeAttached();
  await expect(page.getByTestId("focused-pane")).toBeVisible();

  await page.keyboard.press("[");
  await expect(timeline).toHaveAttribute("data-rewound", "true");
  await expect(page.getByTestId("timeline-screen")).toContainText("second-marker");
  await expect(page.getByTestId("focused-pane")).toBeHidden();

  // Step back until the screen is from before the second echo: exactly as it was then.
  for (let i = 0; i < 30 && (await screenText(page))?.includes("second-marker"); i++) {
    const seq = await page.getByTestId("timeline-screen").getAttribute("data-seq");
    await page.keyboard.press("[");
    await expect(page.getByTestId("timeline-screen")).not.toHaveAttribute("data-seq", seq ?? "");
  }
  expect(await screenText(page)).not.toContain("second-marker");
  expect(await screenText(page)).toContain("first-marker");
  const earlier = await page.getByTestId("timeline-screen").getAttribute("data-seq");
  await page.keyboard.press("]");
  await expect(page.getByTestId("timeline-screen")).not.toHaveAttribute("data-seq", earlier ?? "");

  // Dragging to the start shows the first recorded screen, from before either echo.
  const bar = page.getByTestId("timeline-bar");
  const box = (await bar.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 1, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId("timeline-screen")).not.toContainText("first-marker");
  await expect(page.getByTestId("timeline-cursor")).toBeVisible();

  await page.keyboard.press("L");
  await expect(timeline).toHaveAttribute("data-rewound", "false");
  await expect(page.getByTestId("timeline-screen")).toHaveCount(0);
  await expect(page.getByTestId("focused-pane")).toContainText("second-marker");
});

test("while you were away: a summary per agent since the last visit, each entry opening the timeline at that moment", async ({ page }) => {
  const away = Date.now() - 10 * 60_000;
  await page.addInitScript((t) => {
    if (!sessionStorage.getItem("seeded")) {
      sessionStorage.setItem("seeded", "1");
      localStorage.setItem("panecast.lastVisit", String(t));
    }
  }, away);
  await page.goto(`${url}/`);
  const summary = page.getByTestId("away-summary");
  await expect(summary).toBeVisible();
  const entry = summary.locator(`[data-testid=away-entry][data-pane-id="${pane}"]`);
  await expect(entry).toBeVisible();
  const printed = Number((await entry.getByTestId("away-printed").textContent())!.split(" ")[0]);
  expect(printed).toBeGreaterThanOrEqual(2);
  await entry.locator("a").first().click();
  await expect(page).toHaveURL(/[?&]at=\d+/);
  await expect(page.getByTestId("timeline")).toHaveAttribute("data-rewound", "true");
  await expect(page.getByTestId("timeline-screen")).not.toHaveAttribute("data-seq", "");
  // Back on the page after the visit was noted: no summary.
  await page.goto(`${url}/`);
  await expect(page.getByTestId("away-summary")).toHaveCount(0);
});
