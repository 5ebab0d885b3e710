import { expect, test } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let pane: string;

test.beforeEach(async () => {
  tmux = new TestTmux();
  pane = await tmux.newSession("agents");
  server = new ServerProcess(["-L", tmux.socketName]);
  url = await server.start();
});

test.afterEach(async () => {
  await server.stop();
  await tmux.kill();
});

test("the page is an installable PWA: a manifest with PNG icons, and a registered service worker", async ({ page }) => {
  await page.goto(`${url}/`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBeTruthy();
  const manifestUrl = new URL(href!, `${url}/`).href;
  const manifest = (await (await page.request.get(manifestUrl)).json()) as { name: string; display: string; start_url: string; icons: Array<{ src: string; sizes: string; type: string }> };
  expect(manifest).toMatchObject({ name: "panecast", display: "standalone" });
  for (const size of ["192x192", "512x512"]) {
    const icon = manifest.icons.find((i) => i.sizes === size && i.type === "image/png")!;
    const res = await page.request.get(new URL(icon.src, manifestUrl).href);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("image/png");
  }
  const scriptURL = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL ?? null);
  expect(scriptURL).toBe(`${url}/sw.js`);
  await expect(page.getByTestId("notify-device")).toHaveText("Notify this device");
});

test("the card shows where its state came from: the screen, then the agent's hook", async ({ page }) => {
  await page.goto(`${url}/`);
  const card = page.locator("article", { has: page.locator(`[data-pane-id="${pane}"]`) });
  await expect(card.getByTestId("agent-source")).toHaveAttribute("data-source", "screen");
  const socket = (await tmux.tmux("display-message", "-p", "-t", pane, "#{socket_path}")).trim();
  const res = await page.request.post(`${url}/api/agent-signals`, { data: { agent: "claude", pane, socket, event: "PermissionRequest", detail: "tool: Bash" } });
  expect(res.status()).toBe(200);
  await expect(card.getByTestId("agent-source")).toHaveAttribute("data-source", "hook");
  await expect(card.getByTestId("agent-status")).toHaveAttribute("data-state", "waiting-for-input");
});

test("a notification's link (?pane=) opens the dashboard focused on the pane", async ({ page }) => {
  await page.goto(`${url}/?pane=${encodeURIComponent(pane)}`);
  await expect(page.getByTestId("focused-pane")).toHaveAttribute("data-pane-id", pane);
});
