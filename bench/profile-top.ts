// `tsx bench/profile-top.ts FILE.cpuprofile [N]`: the N functions (default 25) with the most self time
// in a V8 CPU profile, with their total (self + callees) time; for reading bench:load's profiles.
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, n = "25"] = process.argv.slice(2);
if (!file) throw new Error("usage: tsx bench/profile-top.ts FILE.cpuprofile [N]");
const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const key = (node: Node) => `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/^.*\/(lib|node_modules)\//, "$1/")}:${node.callFrame.lineNumber + 1}`;
const self = new Map<string, number>();
const total = new Map<string, number>();
p.samples.forEach((id, i) => {
  const us = p.timeDeltas[i] ?? 0;
  const leaf = byId.get(id)!;
  self.set(key(leaf), (self.get(key(leaf)) ?? 0) + us);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur)!);
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + us);
  }
});
const wall = (p.endTime - p.startTime) / 1000;
const busy = [...self].filter(([k]) => !k.startsWith("(idle)")).reduce((a, [, v]) => a + v, 0) / 1000;
console.log(`${file}: ${wall.toFixed(0)} ms, ${busy.toFixed(0)} ms not idle (${((busy / wall) * 100).toFixed(2)} % of a core)\n`);
console.log("self ms  total ms  function");
for (const [k, v] of [...self].filter(([k]) => !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
  console.log(`${(v / 1000).toFixed(1).padStart(7)}  ${((total.get(k) ?? 0) / 1000).toFixed(1).padStart(8)}  ${k}`);
}
