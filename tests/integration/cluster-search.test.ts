import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import type { Ack, SearchRequest, SearchResult } from "../../lib/protocol.ts";
import { NodeProcess } from "../helpers/node-process.ts";
import { TestRedis } from "../helpers/redis.ts";
import { client, startPanecast, type TestClient } from "../helpers/server.ts";
import { freshName, TestTmux, until } from "../helpers/tmux.ts";

const redis = new TestRedis();
const tmuxA = new TestTmux();
const tmuxB = new TestTmux();
let a: { app: PanecastApp; url: string };
let b: { app: PanecastApp; url: string };
let admin: string;
let paneA: string;
let paneB: string;
const open: TestClient[] = [];

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "panecast-csearch-"));
}

function node(name: string, tmux: TestTmux): Promise<{ app: PanecastApp; url: string }> {
  const dir = scratch();
  const config = path.join(dir, "panecast.yaml");
  writeFileSync(config, "cluster:\n  search_timeout_ms: 5000\n");
  return startPanecast(tmux, ["--config", config], { PANECAST_AUTH: "on", PANECAST_TOKENS: path.join(dir, "tokens.json"), PANECAST_NODE: name, PANECAST_REDIS_URL: redis.url });
}

async function search(url: string, token: string, req: SearchRequest): Promise<SearchResult> {
  const c = await client(url, { token });
  open.push(c);
  const r = (await c.emitWithAck("search", req)) as Ack<SearchResult>;
  if ("error" in r) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

beforeAll(async () => {
  await redis.start();
  paneA = await tmuxA.newSession("alpha-work");
  paneB = await tmuxB.newSession("beta-work");
  a = await node("alpha", tmuxA);
  admin = a.app.bootstrapToken!;
  b = await node("beta", tmuxB);
  await until(() => a.app.cluster!.source.locate(`beta/${paneB}`) && b.app.cluster!.source.locate(`alpha/${paneA}`), "each node seeing the other's pane");
  await until(() => b.app.auth.tokens!.verify(admin), "the admin token on beta");
  await tmuxA.type(paneA, "echo lemonade from alpha");
  await until(() => a.app.tracker.frame(paneA)?.text.includes("lemonade from alpha\n"), "alpha's echo on screen");
  await tmuxB.type(paneB, "echo lemonade from beta");
  await until(() => b.app.tracker.frame(paneB)?.text.includes("lemonade from beta\n"), "beta's echo on screen");
  await a.app.recorder!.recorder.flush();
  await b.app.recorder!.recorder.flush();
}, 30_000);

afterAll(async () => {
  for (const c of open) c.close();
  await a?.app.close();
  await b?.app.close();
  await tmuxA.kill();
  await tmuxB.kill();
  await redis.stop();
});

const lemonade = (r: SearchResult) => r.hits.filter((h) => h.line === "lemonade from alpha" || h.line === "lemonade from beta");

describe("search across a cluster", () => {
  it("asks every node and merges their hits newest first, each pane id carrying its node, on whichever node it is asked", async () => {
    for (const url of [a.url, b.url]) {
      const r = await search(url, admin, { text: "lemonade from" });
      expect(r.unanswered).toEqual([]);
      expect(lemonade(r).map((h) => [h.pane, h.session, h.line])).toEqual([
        [`beta/${paneB}`, "beta-work", "lemonade from beta"],
        [`alpha/${paneA}`, "alpha-work", "lemonade from alpha"],
      ]);
      expect(r.hits.map((h) => h.at)).toEqual([...r.hits.map((h) => h.at)].sort((x, y) => y - x));
      expect(r.hits.find((h) => h.pane === `beta/${paneB}`)?.context?.some((l) => l.includes("lemonade from beta"))).toBe(true);
    }
  });

  it("applies the asker's session limits on the node that owns the recording", async () => {
    const betaOnly = a.app.auth.tokens!.create({ name: freshName("beta-viewer"), role: "viewer", sessions: ["beta-work"] }).token;
    await until(() => b.app.auth.tokens!.verify(betaOnly), "the limited token on beta");
    const r = await search(a.url, betaOnly, { text: "lemonade" });
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.hits.every((h) => h.session === "beta-work" && h.pane.startsWith("beta/"))).toBe(true);
    // Beta, asked by alpha for this token, answers under the token's own limits, not alpha's word.
    const there = await b.app.cluster!.searchOthers({ text: "lemonade" }, { token: betaOnly, role: "admin" }, null);
    expect(there.results.flatMap((x) => x.hits).every((h) => h.session === "beta-work")).toBe(true);
    const asAlpha = await a.app.cluster!.searchOthers({ text: "lemonade" }, { token: betaOnly, role: "admin" }, null);
    expect(asAlpha.results.flatMap((x) => x.hits).every((h) => h.session === "beta-work")).toBe(true);
    const unknown = await a.app.cluster!.searchOthers({ text: "lemonade" }, { token: "no-such-token", role: "admin" }, null);
    expect(unknown).toEqual({ results: [], unanswered: ["beta"] });
  });

  it("sends a search with panes named only to the nodes that own them", async () => {
    const r = await search(a.url, admin, { text: "lemonade", panes: [`beta/${paneB}`] });
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.hits.every((h) => h.pane === `beta/${paneB}`)).toBe(true);
    const mine = await search(a.url, admin, { text: "lemonade", panes: [`alpha/${paneA}`] });
    expect(mine.hits.every((h) => h.pane === `alpha/${paneA}`)).toBe(true);
    expect(mine.unanswered).toEqual([]);
  });

  it("names a node that does not answer in time, and still answers with the others' hits", async () => {
    const tmuxC = new TestTmux();
    const gamma = new NodeProcess();
    try {
      const paneC = await tmuxC.newSession("gamma-work");
      const dir = scratch();
      await gamma.start(["-L", tmuxC.socketName], { PANECAST_AUTH: "on", PANECAST_NODE: "gamma", PANECAST_REDIS_URL: redis.url, PANECAST_DATA_DIR: dir, PANECAST_AUDIT: path.join(dir, "audit.jsonl") });
      await until(() => a.app.cluster!.source.locate(`gamma/${paneC}`), "gamma's pane on alpha");
      gamma.signal("SIGSTOP");
      const r = await search(a.url, admin, { text: "lemonade from" });
      expect(r.unanswered).toEqual(["gamma"]);
      expect(lemonade(r).map((h) => h.pane)).toEqual([`beta/${paneB}`, `alpha/${paneA}`]);
    } finally {
      gamma.signal("SIGCONT");
      await gamma.kill();
      await tmuxC.kill();
    }
  });
});
