// npm run bench:answer — a one-tap answer, from the tap to the verified answer:
//  1. `pane:answer` on a real [y/n] question in tmux, until its ack says "answered" (the server re-reads
//     the screen, checks the prompt hash, sends y + Enter, and waits for the prompt to go away), p50/p99;
//  2. the same keys as a plain `pane:send` (no prompt check, no verification), side by side;
//  3. the tap until the client is sent the queue without the item (what the page shows).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import type { ClientToServerEvents, NeedsYouPayload, ServerToClientEvents } from "../lib/protocol.ts";
import { TestTmux } from "../tests/helpers/tmux.ts";
import { median, percentile, startBenchServer, stopBenchServer, table } from "./fleet.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const SCRIPT = path.resolve("tests/fixtures/needs-you/yes-no.sh");
const dir = mkdtempSync(path.join(tmpdir(), "panecast-bench-answer-"));
const tmux = new TestTmux();
const pane = await tmux.newSession("answer", { command: `bash ${SCRIPT}` });
const cfg = path.join(dir, "panecast.yaml");
writeFileSync(cfg, `data_dir: ${dir}\nlimits:\n  sends_per_minute: 100000\n  messages_per_second: 10000\n  messages_burst: 10000\n`);
const { child, url } = await startBenchServer(cfg, tmux.socketName, dir);
const socket = io(url, { transports: ["websocket"], reconnection: false, forceNew: true }) as import("socket.io-client").Socket<ServerToClientEvents, ClientToServerEvents>;
let queue: NeedsYouPayload = { open: [], resolved: [] };
const waiters = new Set<() => void>();
socket.on("batch", (b) => {
  if (!b.needsYou) return;
  queue = b.needsYou;
  for (const w of [...waiters]) w();
});
const until = (check: () => boolean) =>
  new Promise<void>((resolve) => {
    if (check()) return resolve();
    const w = () => {
      if (!check()) return;
      waiters.delete(w);
      resolve();
    };
    waiters.add(w);
  });
const item = () => queue.open.find((i) => i.pane === pane && i.promptHash);

try {
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const answered: number[] = [];
  const shown: number[] = [];
  const sent: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) {
    await tmux.tmux("respawn-pane", "-k", "-t", pane, "bash", SCRIPT);
    await until(() => !!item());
    const it = item()!;
    const t = performance.now();
    if (i % 2 === 0) {
      const r = await socket.emitWithAck("pane:answer", { pane, itemId: it.id, choice: 0, promptHash: it.promptHash! });
      if (!("data" in r) || r.data.outcome !== "answered") throw new Error(`answer failed: ${JSON.stringify(r)}`);
      answered.push(performance.now() - t);
      await until(() => !queue.open.some((x) => x.id === it.id));
      shown.push(performance.now() - t);
    } else {
      const r = await socket.emitWithAck("pane:send", { pane, keys: ["y", "Enter"] });
      if (!("data" in r)) throw new Error(`send failed: ${JSON.stringify(r)}`);
      sent.push(performance.now() - t);
      await until(() => !queue.open.some((x) => x.id === it.id));
    }
  }
  console.log(`one-tap answers on a real [y/n] question, ${RUNS} runs each, ms\n`);
  console.log(
    table([
      ["what", "p50", "p99"],
      ["pane:answer, tap → verified ack", median(answered), percentile(answered, 99)],
      ["pane:answer, tap → item gone from the client's queue", median(shown), percentile(shown, 99)],
      ["pane:send of the same keys (unverified), tap → ack", median(sent), percentile(sent, 99)],
    ]),
  );
  console.log(`\nverification costs ${(median(answered) / median(sent)).toFixed(1)}x a bare send (p50)`);
} finally {
  socket.close();
  await stopBenchServer(child);
  await tmux.kill();
}
