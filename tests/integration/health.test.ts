import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanecastApp } from "../../lib/app.ts";
import { execStats } from "../../lib/tmux/exec.ts";
import { startWithAuth } from "../helpers/auth.ts";
import { TestTmux, until } from "../helpers/tmux.ts";

/** Health probes answer from what panecast knows; they never start tmux, and tell strangers only a status. */
const tmux = new TestTmux();
let app: PanecastApp;
let url: string;
let token: string;

beforeAll(async () => {
  await tmux.newSession("probe");
  ({ app, url } = await startWithAuth(tmux));
  token = app.bootstrapToken!;
  await until(() => app.health.versionKnown, "the tmux version read once tmux is up");
});

afterAll(async () => {
  await app?.close();
  await tmux.kill();
});

const get = async (route: string, headers: Record<string, string> = {}) => {
  const r = await fetch(`${url}${route}`, { headers });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe("/api/healthz and /api/readyz", () => {
  it("spawn no tmux process however often they are asked, with or without a token", async () => {
    // The tracker may still be settling in the background (list-panes, captures); what a probe would
    // run is display-message, which nothing else runs while no one types.
    const probes = () => execStats.byCommand.get("display-message") ?? 0;
    const before = probes();
    const calls = [];
    for (let i = 0; i < 40; i++) {
      calls.push(get("/api/healthz"), get("/api/readyz"), get("/api/healthz", { authorization: `Bearer ${token}` }));
    }
    const answers = await Promise.all(calls);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(probes() - before).toBe(0);
  });

  it("tell a caller without a token only {status}; a token holder gets the details", async () => {
    expect(await get("/api/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await get("/api/readyz")).toEqual({ status: 200, body: { status: "ready" } });
    const full = await get("/api/healthz", { authorization: `Bearer ${token}` });
    expect(full.body).toMatchObject({ status: "ok", version: "0.1.0", tmux: { reachable: true, version: "3.3a" } });
    expect((await get("/api/healthz", { authorization: "Bearer pc_0000000000000000_wrong" })).body).toEqual({ status: "ok" });
  });

  it("readyz answers 503 while the tmux server is gone", async () => {
    await tmux.kill();
    await until(async () => (await get("/api/readyz")).status === 503, "readyz 503");
    expect(await get("/api/readyz")).toEqual({ status: 503, body: { status: "tmux-unreachable" } });
    expect((await get("/api/healthz", { authorization: `Bearer ${token}` })).body).toMatchObject({ tmux: { reachable: false } });
  });
});
