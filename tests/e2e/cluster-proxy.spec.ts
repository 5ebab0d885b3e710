import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../helpers/net.ts";
import { TestRedis } from "../helpers/redis.ts";
import { TestTmux } from "../helpers/tmux.ts";
import { Nginx } from "./nginx.ts";
import { ServerProcess } from "./server-process.ts";

// Two web nodes behind nginx round-robin with no sticky sessions: the page signs in through nginx,
// the node that served its socket stops, and the page carries on through the other one, with no new
// sign-in and no full-screen resend of the panes whose screens did not change.

test.describe.configure({ timeout: 180_000 });
test.use({ ignoreHTTPSErrors: true });

const redis = new TestRedis();
const tmuxA = new TestTmux();
const tmuxB = new TestTmux();
const nodes: Record<string, ServerProcess> = {};
const direct: Record<string, string> = {};
let nginx: Nginx;
let publicUrl: string;
let token: string;
let paneA: string;
let paneB: string;

test.beforeAll(async () => {
  await redis.start();
  paneA = await tmuxA.newSession("alpha-agents", { width: 90, height: 20 });
  paneB = await tmuxB.newSession("beta-agents", { width: 90, height: 20 });
  const dir = mkdtempSync(path.join(tmpdir(), "panecast-nosticky-"));
  const proxyPort = await freePort();
  const cfg = path.join(dir, "panecast.yaml");
  writeFileSync(cfg, `server:\n  trust_proxy: [127.0.0.1/32]\n  public_url: https://127.0.0.1:${proxyPort}/panecast\ncluster:\n  offline_after_ms: 1500\n`);
  for (const [name, tmux] of [["alpha", tmuxA], ["beta", tmuxB]] as const) {
    nodes[name] = new ServerProcess(["-L", tmux.socketName, "--base-path", "/panecast", "--config", cfg], {
      PANECAST_AUTH: "on",
      PANECAST_TOKENS: path.join(dir, `${name}-tokens.json`),
      PANECAST_NODE: name,
      PANECAST_REDIS_URL: redis.url,
    });
    direct[name] = await nodes[name].start();
    // The first node makes the cluster's admin token, once.
    if (name === "alpha") token = (await nodes[name].waitFor(/log in at \S+#token=(pc_\S+)/))[1]!;
  }
  nginx = new Nginx();
  publicUrl = await nginx.start({ basePath: "/panecast", upstreamPort: [Number(new URL(direct.alpha!).port), Number(new URL(direct.beta!).port)], port: proxyPort });
});

test.afterAll(async () => {
  await nginx?.stop();
  for (const n of Object.values(nodes)) await n.stop();
  await Promise.all([tmuxA.kill(), tmuxB.kill(), redis.stop()]);
});

/** How many clients a node serves now, asked of the node itself (not through nginx). */
async function clientsOn(name: string): Promise<number> {
  const res = await fetch(`${direct[name]}/api/healthz`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { clients: number }).clients;
}

const paneEl = (page: import("@playwright/test").Page, id: string) => page.locator(`[data-testid="pane"][data-pane-id="${id}"]`);

test("the page carries on through the other node when the one serving its socket stops: no new sign-in, no full resend of unchanged panes", async ({ page }) => {
  // Every pane update the page receives, by kind, counted from the WebSocket frames themselves.
  const full = new Map<string, number>();
  const diffs = new Map<string, number>();
  page.on("websocket", (ws) =>
    ws.on("framereceived", ({ payload }) => {
      if (typeof payload !== "string" || !payload.startsWith("42")) return;
      const [name, data] = JSON.parse(payload.slice(2)) as [string, { updates?: Array<{ pane: string; delta: { kind: string } }> }];
      if (name !== "batch") return;
      for (const u of data.updates ?? []) (u.delta.kind === "full" ? full : diffs).set(u.pane, ((u.delta.kind === "full" ? full : diffs).get(u.pane) ?? 0) + 1);
    }),
  );
  const logins: string[] = [];
  page.on("framenavigated", (f) => f === page.mainFrame() && new URL(f.url()).pathname.endsWith("/login") && logins.push(f.url()));

  await page.goto(`${publicUrl}/login#token=${token}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  await tmuxA.type(paneA, "echo alpha-$((1+1))");
  await tmuxB.type(paneB, "echo beta-$((2+2))");
  await expect(paneEl(page, `alpha/${paneA}`)).toContainText("alpha-2");
  await expect(paneEl(page, `beta/${paneB}`)).toContainText("beta-4");
  const signIns = logins.length;

  const counts = await Promise.all([clientsOn("alpha"), clientsOn("beta")]);
  expect(counts.filter((n) => n === 1)).toHaveLength(1);
  const served = counts[0] === 1 ? "alpha" : "beta";
  const other = served === "alpha" ? "beta" : "alpha";
  const stay = served === "alpha" ? { tmux: tmuxB, pane: `beta/${paneB}` } : { tmux: tmuxA, pane: `alpha/${paneA}` };
  const gone = served === "alpha" ? `alpha/${paneA}` : `beta/${paneB}`;
  const fullBefore = new Map(full);

  await nodes[served]!.stop();
  await expect(page.getByTestId("connection-status")).not.toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  expect(await clientsOn(other)).toBe(1);
  // The stopped node's pane: its last screen, marked offline; the other node's: live.
  await expect(page.locator(`section[data-node="${served}"]`)).toHaveAttribute("data-offline", "true");
  await expect(paneEl(page, gone)).toContainText(served === "alpha" ? "alpha-2" : "beta-4");
  await stay.tmux.type(stay.pane.split("/")[1]!, "echo after-$((3*3))");
  await expect(paneEl(page, stay.pane)).toContainText("after-9");

  expect(logins.length).toBe(signIns);
  expect(new URL(page.url()).pathname).toBe("/panecast");
  // Resumed with the seqs it held: no pane came whole again; the new output came as deltas.
  expect(full.get(stay.pane) ?? 0).toBe(fullBefore.get(stay.pane) ?? 0);
  expect(full.get(gone) ?? 0).toBe(fullBefore.get(gone) ?? 0);
  expect(diffs.get(stay.pane) ?? 0).toBeGreaterThan(0);
});
