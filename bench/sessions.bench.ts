// npm run bench:sessions — what a login costs the session table once it is full: opening a session
// with and without auth.max_sessions_per_token, in an empty table and beside 10,000 others (the
// table's bound), side by side in one run. The per-token bound reads only that token's sessions.
import { loadavg } from "node:os";
import { SessionTable } from "../lib/auth/sessions.ts";
import { median, table } from "./fleet.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 2000);

/** Microseconds per open(), median over RUNS logins of one token (at its bound after the first 50). */
function opens(others: number, perToken: number): number {
  const t = new SessionTable({ ttlMs: 3_600_000 });
  for (let i = 0; i < others; i++) t.open(i.toString(16).padStart(16, "0"));
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const at = performance.now();
    t.open("f".repeat(16), perToken);
    times.push((performance.now() - at) * 1000);
  }
  return median(times);
}

opens(1000, 50); // warm up
const rows: Array<Array<string | number>> = [["table", "no per-token bound (µs)", "bound 50 (µs)", "ratio"]];
for (const others of [0, 9_950]) {
  const free = opens(others, Infinity);
  const bound = opens(others, 50);
  rows.push([`${others + 50} sessions`, free, bound, bound / free]);
}
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ${RUNS} logins each, medians`);
console.log(table(rows));
