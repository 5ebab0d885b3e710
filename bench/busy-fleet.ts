import { TestTmux } from "../tests/helpers/tmux.ts";

/**
 * A pane printing a coloured line every 100 ms. It waits with bash's `read -t` on a pipe that never
 * delivers, so the loop forks nothing (a `sleep` per line would cost the machine more than the page).
 */
const BUSY = `exec 3< <(exec sleep 100000); i=0; while :; do i=$((i+1)); printf "\\033[3%dm%6d\\033[0m agent output line with \\033[1msome\\033[0m words and a path lib/module$((i%50)).ts\\n" $((i%8)) $i; read -t 0.1 -u 3; done`;

/** `n` busy panes, tiled ten to a window (so the page shows them in grids, as a real fleet). */
const PER_WINDOW = 10;

export async function busyFleet(n: number): Promise<TestTmux> {
  const tmux = new TestTmux();
  let tmuxWindow = "";
  const cmd = `bash -c '${BUSY}'`;
  for (let i = 0; i < n; i++) {
    if (i % PER_WINDOW === 0) {
      const out = i === 0
        ? await tmux.tmux("new-session", "-d", "-s", "busy", "-x", "240", "-y", "52", "-P", "-F", "#{window_id}", cmd)
        : await tmux.tmux("new-window", "-d", "-t", "=busy", "-P", "-F", "#{window_id}", cmd);
      tmuxWindow = out.trim();
      // Later windows get the first one's size (detached sessions otherwise default to 80x24).
      if (i === 0) await tmux.tmux("set-option", "-g", "default-size", "240x52");
      continue;
    }
    await tmux.tmux("split-window", "-d", "-t", tmuxWindow, cmd);
    await tmux.tmux("select-layout", "-t", tmuxWindow, "tiled");
  }
  return tmux;
}
