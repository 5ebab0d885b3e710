// npm run bench:answer-cluster — a one-tap answer in a cluster, from the tap to the verified answer,
// on alpha's agent: tapped on alpha's page (answered there) and on beta's page (carried to alpha through
// the command channel on Redis, checked and verified there), alternately, side by side in one run.
// Two nodes and a redis-server on this machine: say the load average next to the figures.
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, NeedsYouPayload, ServerToClientEvents } from "../lib/protocol.ts";
import { agentArgv } from "../tests/helpers/agent-script.ts";
import { TestRedis } from "../tests/helpers/redis.ts";
import { TestTmux } from "../tests/helpers/tmux.ts";
import { median, percentile, startBenchServer, stopBenchServer, table } from "./fleet.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const SCRIPT = path.resolve("tests/fixtures/needs-you/yes-no.sh");
const redis = new TestRedis();
await redis.start();
const tmuxA = new TestTmux();
const tmuxB = new TestTmux();
const local = (await tmuxA.tmux("new-session", "-d", "-s", "answer", "-x", "100", "-y", "20", "-P", "-F", "#{pane_id}", ...agentArgv(SCRIPT))).trim();
await tmuxB.newSession("beta-idle");
const pane = `alpha/${local}`;

async function node(name: string, tmux: TestTmux) {
  const dir = mkdtempSync(path.join(tmpdir(), `panecast-bench-answer-${name}-`));
  const cfg = path.join(dir, "panecast.yaml");
  writeFileSync(cfg, `data_dir: ${dir}\nlimits:\n  sends_per_minute: 100000\n  messages_per_second: 10000\n  messages_burst: 10000\n`);
  process.env.PANECAST_NODE = name;
  process.env.PANECAST_REDIS_URL = redis.url;
  return startBenchServer(cfg, tmux.socketName, dir);
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
function follow(url: string): { socket: Client; until: (check: (q: NeedsYouPayload) => boolean) => Promise<void>; queue: () => NeedsYouPayload } {
  const socket = io(url, { transports: ["websocket"], reconnection: false, forceNew: true }) as Client;
  let queue: NeedsYouPayload = { open: [], resolved: [] };
  const waiters = new Set<() => void>();
  socket.on("batch", (b) => {
    if (!b.needsYou) return;
    queue = b.needsYou;
    for (const w of [...waiters]) w();
  });
  const until = (check: (q: NeedsYouPayload) => boolean) =>
    new Promise<void>((resolve) => {
      if (check(queue)) return resolve();
      const w = () => {
        if (!check(queue)) return;
        waiters.delete(w);
        resolve();
      };
      waiters.add(w);
    });
  return { socket, until, queue: () => queue };
}

const alpha = await node("alpha", tmuxA);
const beta = await node("beta", tmuxB);
const on = { alpha: follow(alpha.url), beta: follow(beta.url) };
try {
  const times: Record<"alpha" | "beta", number[]> = { alpha: [], beta: [] };
  for (let i = 0; i < RUNS * 2; i++) {
    const via = i % 2 === 0 ? "alpha" : "beta";
    await tmuxA.tmux("respawn-pane", "-k", "-t", local, ...agentArgv(SCRIPT));
    // Both pages show the item before the tap, as a person would see it.
    const ready = (q: NeedsYouPayload) => !!q.open.find((x) => x.pane === pane && x.promptHash);
    await Promise.all([on.alpha.until(ready), on.beta.until(ready)]);
    const it = on[via].queue().open.find((x) => x.pane === pane)!;
    const t = performance.now();
    const r = await on[via].socket.emitWithAck("pane:answer", { pane, itemId: it.id, choice: 0, promptHash: it.promptHash! });
    if (!("data" in r) || r.data.outcome !== "answered") throw new Error(`answer via ${via} failed: ${JSON.stringify(r)}`);
    times[via].push(performance.now() - t);
    await Promise.all([on.alpha.until((q) => !q.open.some((x) => x.id === it.id)), on.beta.until((q) => !q.open.some((x) => x.id === it.id))]);
  }
  console.log(`one-tap answers on alpha's [y/n] question, ${RUNS} runs each, ms (load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}; both nodes and redis share this machine)\n`);
  console.log(
    table([
      ["tapped on", "p50", "p99"],
      ["alpha (the owning node)", median(times.alpha), percentile(times.alpha, 99)],
      ["beta (through the command channel)", median(times.beta), percentile(times.beta, 99)],
    ]),
  );
  console.log(`\nanswering from another node costs ${(median(times.beta) / median(times.alpha)).toFixed(2)}x (p50)`);
} finally {
  on.alpha.socket.close();
  on.beta.socket.close();
  await stopBenchServer(beta.child);
  await stopBenchServer(alpha.child);
  await Promise.all([tmuxA.kill(), tmuxB.kill()]);
  await redis.stop();
}
