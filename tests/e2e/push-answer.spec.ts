import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { TokenStore } from "../../lib/auth/tokens.ts";
import { decryptWebPush, selfSignedCert, startPushService, subscriptionKeys } from "../helpers/push-service.ts";
import { TestTmux, until } from "../helpers/tmux.ts";
import { agentCommand } from "../helpers/agent-script.ts";
import { ServerProcess } from "./server-process.ts";

const SCRIPT = path.resolve("tests/fixtures/needs-you/two-questions.sh");
let tmux: TestTmux;
let server: ServerProcess;
let service: Awaited<ReturnType<typeof startPushService>>;
let url: string;
let operator: string;

test.beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-e2e-push-answer-"));
  const tls = selfSignedCert();
  service = await startPushService(tls, () => 201);
  // The server trusts the local push service's certificate as it would a real one's CA.
  writeFileSync(path.join(dir, "push-ca.pem"), tls.cert);
  const cfg = path.join(dir, "panecast.yaml");
  writeFileSync(cfg, `alerts:\n  grace_ms: 0\n  min_interval_ms: 0\npush:\n  allowed_endpoints: ["${service.origin}"]\n`);
  tmux = new TestTmux();
  await tmux.newSession("base");
  const tokens = path.join(dir, "state", "tokens.json");
  server = new ServerProcess(["-L", tmux.socketName, "--config", cfg], { PANECAST_AUTH: "on", PANECAST_TOKENS: tokens, NODE_EXTRA_CA_CERTS: path.join(dir, "push-ca.pem") });
  url = await server.start();
  await server.waitFor(/#token=(pc_\S+)/);
  operator = new TokenStore(tokens).create({ name: "op", role: "operator" }).token;
});

test.afterAll(async () => {
  await server?.stop();
  await tmux?.kill();
  await service?.close();
});

test("a push notification's answer button, pressed in the real service worker, answers the agent through a capability", async ({ page, context }) => {
  const keys = subscriptionKeys();
  await until(async () => (await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${operator}` } })).ok, "the new token known to the server");
  const sub = await fetch(`${url}/api/push/subscriptions`, {
    method: "POST",
    headers: { authorization: `Bearer ${operator}`, "content-type": "application/json" },
    body: JSON.stringify({ endpoint: `${service.origin}/push/phone`, keys: keys.json }),
  });
  expect(sub.status).toBe(201);

  await page.goto(`${url}/login#token=${operator}`);
  await expect(page.getByTestId("whoami")).toHaveAttribute("data-role", "operator");
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));

  // A shell that then asks: entering waiting from another state raises the alert that is pushed.
  const pane = (await tmux.tmux("new-session", "-d", "-s", "deploy", "-P", "-F", "#{pane_id}", "env", "PS1=$ ", "bash", "--norc", "--noprofile")).trim();
  await expect(page.locator(`[data-pane-id="${pane}"]`).first()).toBeVisible();
  await tmux.type(pane, agentCommand(SCRIPT));
  const push = await until(() => service.requests.find((r) => r.path === "/push/phone"), "the push");
  const payload = JSON.parse(decryptWebPush(push.body, keys)) as { title: string; url: string; tag: string; actions: Array<{ action: string; title: string }>; answer: { url: string; capability: string } };
  expect(payload.actions.map((a) => a.title)).toEqual(["Yes", "No", "Open"]);

  // The service worker's own notificationclick handler, with the notification its push handler
  // would have shown (its data: the pane's URL and the answer capability) and the "Yes" button.
  const result = await sw.evaluate(async (p) => {
    const posted: Array<Promise<unknown>> = [];
    // Service worker globals, which the page's TypeScript library does not declare.
    const scope = self as unknown as { ExtendableEvent: new (type: string) => Event & { waitUntil(x: Promise<unknown>): void } };
    const event = new scope.ExtendableEvent("notificationclick");
    Object.defineProperty(event, "action", { value: "answer:0" });
    Object.defineProperty(event, "notification", { value: { data: { url: p.url, answer: p.answer }, tag: p.tag, close() {} } });
    const wait = event.waitUntil.bind(event);
    Object.defineProperty(event, "waitUntil", { value: (x: Promise<unknown>) => (posted.push(x), wait(x)) });
    self.dispatchEvent(event);
    await Promise.all(posted);
    return posted.length;
  }, payload);
  expect(result).toBe(1);
  await until(async () => (await tmux.capture(pane)).includes("Also migrate the database? [y/n]"), "the first question answered with y");

  // The same capability again: single use, nothing typed.
  const again = await fetch(`${url}${payload.answer.url}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ capability: payload.answer.capability, choice: 1 }) });
  expect(again.status).toBe(401);
  expect(await tmux.capture(pane)).not.toMatch(/database\? \[y\/n\] n/);
});
