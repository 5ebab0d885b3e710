/**
 * Parses a tmux control-mode stream (`tmux -C`). The stream is read as bytes: pane output arrives with
 * raw UTF-8 that can be split across lines and reads, so only complete lines are decoded, and only
 * their header. Pane content is never decoded here: panecast re-captures the screen instead.
 */
export type ControlEvent =
  /** `plain`: the bytes only print text, colours and line moves (see plainOutput), so only rows between
   *  the cursor's last and new place changed; otherwise the whole screen must be read. */
  | { type: "output"; pane: string; plain: boolean }
  | { type: "pause"; pane: string }
  /** tmux sends a paused pane's output again (`refresh-client -A %ID:continue`). */
  | { type: "continue"; pane: string }
  | { type: "window-add"; window: string }
  | { type: "window-close"; window: string }
  | { type: "sessions-changed" }
  | { type: "session-renamed"; session: string; name: string }
  | { type: "session-changed"; session: string; name: string }
  | { type: "layout-change"; window: string }
  | { type: "window-renamed"; window: string }
  | { type: "pane-mode-changed"; pane: string }
  | { type: "exit"; reason: string }
  | { type: "reply"; ok: boolean; lines: string[] };

/** Most panes remembered as having ended inside an escape sequence. */
const MAX_OPEN_PANES = 10_000;

/** Escaped control bytes (`\ooo`) that move the cursor only along its row or down (tab, LF, CR, BS), do nothing (BEL, SI, SO), or are `\\` itself. */
const PLAIN_CONTROLS = new Set(["011", "012", "015", "010", "007", "016", "017", "134"]);

/**
 * Whether control-mode output bytes (from `from`) only print text, change colours (SGR, `ESC ( B`)
 * and move the cursor along its row or down: then tmux changed only the rows from the cursor's last
 * place (moved up by any scroll) to its new one. Any other escape (cursor moves, erases, modes,
 * scroll regions) is "other"; an escape cut at the end of the line is "open" (its end comes next).
 */
export function plainOutput(buf: Buffer, from: number): "plain" | "other" | "open" {
  let i = from;
  for (i = buf.indexOf(0x5c, i); i !== -1; i = buf.indexOf(0x5c, i)) {
    if (i + 4 > buf.length) return "other";
    const code = buf.toString("latin1", i + 1, i + 4);
    i += 4;
    if (PLAIN_CONTROLS.has(code)) continue;
    if (code !== "033") return "other";
    if (i >= buf.length) return "open";
    if (buf[i] === 0x28) {
      if (i + 1 >= buf.length) return "open";
      if (buf[i + 1] !== 0x42) return "other";
      i += 2;
      continue;
    }
    if (buf[i] !== 0x5b) return "other";
    let j = i + 1;
    // SGR parameters: digits, ';' and ':'.
    while (j < buf.length && ((buf[j]! >= 0x30 && buf[j]! <= 0x39) || buf[j] === 0x3b || buf[j] === 0x3a)) j++;
    if (j >= buf.length) return "open";
    if (buf[j] !== 0x6d) return "other";
    i = j + 1;
  }
  return "plain";
}

/**
 * The `%pause %ID` / `%continue %ID` lines in the reply to a `refresh-client -A` command: tmux writes
 * the notice a command causes inside that command's `%begin`/`%end` block. Only for replies of a
 * client that sends nothing but such commands (a pane's printed text never reaches its replies).
 */
export function paneNotices(lines: readonly string[]): ControlEvent[] {
  const out: ControlEvent[] = [];
  for (const line of lines) {
    const m = /^%(pause|continue) (%\d+)\r?$/.exec(line);
    if (m) out.push({ type: m[1] as "pause" | "continue", pane: m[2]! });
  }
  return out;
}

/** Longest line kept while waiting for its newline; longer output lines are only scanned for their header. */
const MAX_HEADER = 256;
/** Most lines of one command reply that are kept. */
const MAX_REPLY_LINES = 10_000;

export class ControlParser {
  private partial: Buffer[] = [];
  private partialLen = 0;
  /** The unfinished line lost bytes past MAX_HEADER: what it printed is unknown. */
  private partialCut = false;
  /** Panes whose last output ended inside an escape sequence: their next output is not plain. */
  private readonly openEscape = new Set<string>();
  private inBlock: { lines: string[] } | null = null;

  /** Feeds a chunk; returns the events of the lines it completed. */
  push(chunk: Buffer): ControlEvent[] {
    const events: ControlEvent[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      let line: Buffer;
      if (this.partialLen > 0) {
        this.partial.push(chunk.subarray(start, nl));
        line = Buffer.concat(this.partial);
        this.partial = [];
        this.partialLen = 0;
      } else {
        line = chunk.subarray(start, nl);
      }
      const ev = this.line(line, this.partialCut);
      this.partialCut = false;
      if (ev) events.push(ev);
      start = nl + 1;
    }
    if (start < chunk.length) {
      // Keep at most MAX_HEADER bytes of an unfinished line: only %output lines grow long, and their
      // header (the pane id) sits at the start. The rest of an over-long line is dropped.
      const room = MAX_HEADER - this.partialLen;
      if (room > 0) {
        const piece = chunk.subarray(start, start + room);
        this.partial.push(Buffer.from(piece));
        this.partialLen += piece.length;
      }
      if (chunk.length - start > room) this.partialCut = true;
    }
    return events;
  }

  private line(buf: Buffer, cut = false): ControlEvent | null {
    const text = buf.subarray(0, MAX_HEADER).toString("latin1").replace(/\r$/, "");
    if (this.inBlock) {
      if (/^%(end|error) /.test(text)) {
        const lines = this.inBlock.lines;
        this.inBlock = null;
        return { type: "reply", ok: text.startsWith("%end"), lines };
      }
      if (this.inBlock.lines.length < MAX_REPLY_LINES) this.inBlock.lines.push(buf.toString("utf8"));
      return null;
    }
    if (!text.startsWith("%")) return null;
    const sp = text.indexOf(" ");
    const kind = sp === -1 ? text : text.slice(0, sp);
    const args = sp === -1 ? [] : text.slice(sp + 1).split(" ");
    switch (kind) {
      case "%begin":
        this.inBlock = { lines: [] };
        return null;
      case "%output":
      case "%extended-output": {
        const pane = args[0];
        if (!pane) return null;
        // %output %ID DATA; %extended-output %ID AGE ... : DATA
        const at = kind === "%output" ? kind.length + pane.length + 2 : text.indexOf(" : ") + 3;
        const scan = cut || at < 3 ? "other" : plainOutput(buf, at);
        const wasOpen = this.openEscape.delete(pane);
        if (scan === "open" && this.openEscape.size < MAX_OPEN_PANES) this.openEscape.add(pane);
        return { type: "output", pane, plain: scan === "plain" && !wasOpen };
      }
      case "%pause":
        return args[0] ? { type: "pause", pane: args[0] } : null;
      case "%continue":
        return args[0] ? { type: "continue", pane: args[0] } : null;
      case "%window-add":
      case "%unlinked-window-add":
        return { type: "window-add", window: args[0] ?? "" };
      case "%window-close":
      case "%unlinked-window-close":
        return { type: "window-close", window: args[0] ?? "" };
      case "%window-renamed":
      case "%unlinked-window-renamed":
        return { type: "window-renamed", window: args[0] ?? "" };
      case "%sessions-changed":
        return { type: "sessions-changed" };
      case "%session-renamed":
        return { type: "session-renamed", session: args[0] ?? "", name: args.slice(1).join(" ") };
      case "%session-changed":
        return { type: "session-changed", session: args[0] ?? "", name: args.slice(1).join(" ") };
      case "%layout-change":
        return { type: "layout-change", window: args[0] ?? "" };
      case "%pane-mode-changed":
        return { type: "pane-mode-changed", pane: args[0] ?? "" };
      case "%exit":
        return { type: "exit", reason: args.join(" ") };
      default:
        return null;
    }
  }
}
