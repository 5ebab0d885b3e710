import { CURSOR_MARK } from "../ansi.ts";
import { applyDelta } from "../panes/diff.ts";
import type { RecordedStep } from "./playback.ts";

/**
 * Recorded steps as an asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2/): a header
 * line, then `[seconds, "o", text]` events. The first event draws the whole screen; each later one
 * rewrites only the rows that changed (cursor to the row, reset, erase, the row), and a size change
 * is an `"r"` event. Rows carry their own SGR state (lib/ansi normalizeLines), so each draws alone.
 */
export function toAsciicast(steps: readonly RecordedStep[], title: string): string {
  if (steps.length === 0) return "";
  const first = steps[0]!;
  const t0 = first.at;
  const header = { version: 2, width: first.width, height: first.height, timestamp: Math.floor(t0 / 1000), title, env: { TERM: "xterm-256color" } };
  const out: string[] = [JSON.stringify(header)];
  let screen: string[] = [];
  let width = first.width;
  let height = first.height;
  for (const s of steps) {
    const t = Number(((s.at - t0) / 1000).toFixed(3));
    if (s.width !== width || s.height !== height) {
      width = s.width;
      height = s.height;
      out.push(JSON.stringify([t, "r", `${width}x${height}`]));
      screen = [];
    }
    const next = applyDelta(screen, s.delta);
    // Hide the cursor: the recording holds screens, not where typing would go.
    let text = out.length === 1 ? "\x1b[?25l\x1b[H\x1b[2J" : "";
    for (let row = 0; row < Math.min(next.length, height); row++) {
      if (screen.length > 0 && screen[row] === next[row]) continue;
      text += `\x1b[${row + 1};1H\x1b[0m\x1b[2K${next[row]!.replaceAll(CURSOR_MARK, "")}\x1b[0m`;
    }
    for (let row = next.length; row < Math.min(screen.length, height); row++) text += `\x1b[${row + 1};1H\x1b[0m\x1b[2K`;
    screen = next;
    if (text) out.push(JSON.stringify([t, "o", text]));
  }
  return out.join("\n") + "\n";
}
