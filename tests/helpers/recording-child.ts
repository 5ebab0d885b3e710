// A process that records a printing pane non-stop (the kill -9 test kills it mid-write).
// argv: <recordings dir>. Prints "flushed <seq>" after each flush that reached the disk.
import { META, PrintingPane, recorderAt } from "./recording.ts";

const r = recorderAt(process.argv[2]!, { keyframeBytes: 8192 });
const p = new PrintingPane("%5");
for (;;) {
  let seq = 0;
  for (let i = 0; i < 20; i++) {
    const { u, lines } = p.step();
    r.record(u, lines, META);
    seq = u.seq;
  }
  await r.flush();
  process.stdout.write(`flushed ${seq}\n`);
}
