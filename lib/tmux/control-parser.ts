/**
 * Parses a tmux control-mode stream (`tmux -C`). The stream is read as bytes: pane output arrives with
 * raw UTF-8 that can be split across lines and reads, so only complete lines are decoded, and only
 * their header. Pane content is never decoded here: panecast re-captures the screen instead.
 */
export type ControlEvent =
  | { type: "output"; pane: string }
  | { type: "pause"; pane: string }
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

/** Longest line kept while waiting for its newline; longer output lines are only scanned for their header. */
const MAX_HEADER = 256;
/** Most lines of one command reply that are kept. */
const MAX_REPLY_LINES = 10_000;

export class ControlParser {
  private partial: Buffer[] = [];
  private partialLen = 0;
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
      const ev = this.line(line);
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
    }
    return events;
  }

  private line(buf: Buffer): ControlEvent | null {
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
      case "%extended-output":
        return args[0] ? { type: "output", pane: args[0] } : null;
      case "%pause":
        return args[0] ? { type: "pause", pane: args[0] } : null;
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
