import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { TestTmux } from "../helpers/tmux.ts";
import { ServerProcess } from "./server-process.ts";

let tmux: TestTmux;
let server: ServerProcess;
let url: string;
let admin: string;

test.beforeAll(async () => {
  tmux = new TestTmux();
  await tmux.newSession("agents");
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-e2e-phone-"));
  server = new ServerProcess(["-L", tmux.socketName], { PANECAST_AUTH: "on", PANECAST_TOKENS: path.join(dir, "state", "tokens.json") });
  url = await server.start();
  admin = (await server.waitFor(/#token=(pc_\S+)/))[1]!;
});

test.afterAll(async () => {
  await server?.stop();
  await tmux?.kill();
});

test("'Sign in a phone' shows a QR link that signs in a second browser once, and is refused the second time", async ({ page, browser }) => {
  await page.goto(`${url}/login#token=${admin}`);
  await expect(page.getByTestId("whoami")).toHaveAttribute("data-role", "admin");
  await page.getByTestId("phone-sign-in").click();
  await expect(page.getByTestId("phone-sign-in-qr")).toBeVisible();
  await page.getByTestId("phone-sign-in-role").selectOption("viewer");
  await expect(page.getByTestId("phone-sign-in-role")).toHaveValue("viewer");
  const link = (await page.getByTestId("phone-sign-in-url").textContent())!;
  expect(link).toContain("/api/login-link?code=");

  // The phone: a browser context of its own, with a phone's screen and touch.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const p = await phone.newPage();
  await p.goto(link);
  await expect(p.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await expect(p.getByTestId("whoami")).toHaveAttribute("data-role", "viewer");
  await expect(p.getByTestId("needs-you")).toBeVisible();
  await phone.close();

  // Scanned again (someone else, or later): refused, nobody signed in.
  const other = await browser.newContext();
  const o = await other.newPage();
  await o.goto(link);
  await expect(o).toHaveURL(/\/login\?error=link$/);
  await expect(o.getByTestId("login-error")).toContainText("used already, or it expired");
  await other.close();
});
