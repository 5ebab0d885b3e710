// npm run bench:snapshot — panecast's batched snapshot (topology + every screen in one tmux process)
// against one tmux process per pane, for 10, 50 and 200 panes of coloured text, side by side.
import { execStats, execTmux } from "../lib/tmux/exec.ts";
import { TmuxRuntime } from "../lib/tmux/runtime.ts";
import { readSnapshot } from "../lib/tmux/snapshot.ts";
import { coloredFleet, median, table } from "./fleet.ts";

const rows: Array<Array<string | number>> = [["panes", "procs/snapshot", "batched ms", "per-pane ms", "per-pane procs", "speed-up"]];
for (const n of [10, 50, 200]) {
  const { tmux, panes } = await coloredFleet(n);
  const socket = { socketName: tmux.socketName };
  const runtime = new TmuxRuntime(socket);
  const runs = n >= 200 ? 9 : 21;
  await readSnapshot(runtime, panes, ["agent_id"]); // warm up
  const batched: number[] = [];
  const perPane: number[] = [];
  let procs = 0;
  for (let r = 0; r < runs; r++) {
    // Alternate the two so both see the same machine state.
    const before = execStats.spawned;
    let t0 = performance.now();
    const snap = await readSnapshot(runtime, panes, ["agent_id"]);
    batched.push(performance.now() - t0);
    procs += execStats.spawned - before;
    if (snap.frames.size !== n) throw new Error(`snapshot read ${snap.frames.size} of ${n} panes`);
    t0 = performance.now();
    for (const p of panes) await execTmux(socket, ["capture-pane", "-p", "-e", "-t", p], 5000);
    perPane.push(performance.now() - t0);
  }
  const b = median(batched);
  const p = median(perPane);
  rows.push([n, procs / runs, b, p, n, p / b]);
  await runtime.close();
  await tmux.kill();
}
console.log("\nsnapshot of N coloured panes (median of repeated runs, same machine, same run)\n");
console.log(table(rows));
console.log("\nprocs/snapshot: tmux processes panecast spawns per steady-state snapshot (topology and all screens).");
