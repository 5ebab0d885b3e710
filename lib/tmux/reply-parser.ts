/**
 * Reads the command replies of a control client (`tmux -C`) as bytes. tmux answers every command with
 * `%begin TIME NUMBER FLAGS`, the output, then `%end` or `%error` with the same three arguments
 * (TMUX-NOTES). The closing line must repeat the opening arguments, so a captured screen line that
 * happens to read "%end …" cannot end a block early. The body is decoded once, as a whole, so a UTF-8
 * character split across reads arrives intact. FLAGS is 1 for a command this client sent and 0 for
 * anything else tmux runs on its behalf (the attach itself, hooks).
 */
export type Reply =
  | { type: "block"; ok: boolean; fromClient: boolean; body: string; truncated: boolean }
  | { type: "exit"; reason: string };

export interface ReplyParserOptions {
  /** Most bytes of one block's body kept; the rest is dropped and the block marked truncated. */
  maxBlockBytes?: number;
}

const PERCENT = 0x25;
const NL = 0x0a;

export class ReplyParser {
  private readonly maxBlockBytes: number;
  private rest: Buffer | null = null;
  private block: { args: string; chunks: Buffer[]; bytes: number; truncated: boolean } | null = null;

  constructor(opts: ReplyParserOptions = {}) {
    this.maxBlockBytes = opts.maxBlockBytes ?? 64 * 1024 * 1024;
  }

  /** Feeds a chunk; returns the replies it completed, in order. */
  push(chunk: Buffer): Reply[] {
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    const out: Reply[] = [];
    let start = 0;
    for (let nl = data.indexOf(NL, start); nl !== -1; nl = data.indexOf(NL, start)) {
      const r = this.line(data, start, nl);
      if (r) out.push(r);
      start = nl + 1;
    }
    if (start < data.length) {
      const tail = data.subarray(start);
      // Outside a block only short notification headers matter; inside one the whole line is body.
      if (this.block || tail.length <= 4096) this.rest = Buffer.from(tail);
      if (this.block && this.block.bytes + tail.length > this.maxBlockBytes) {
        this.block.truncated = true;
        this.rest = null;
      }
    }
    return out;
  }

  private line(data: Buffer, start: number, end: number): Reply | null {
    const block = this.block;
    if (block) {
      if (data[start] === PERCENT) {
        const head = data.toString("latin1", start, Math.min(end, start + 64)).replace(/\r$/, "");
        const m = /^%(end|error) (.*)$/.exec(head);
        if (m && m[2] === block.args) {
          this.block = null;
          const body = Buffer.concat(block.chunks).toString("utf8");
          return { type: "block", ok: m[1] === "end", fromClient: block.args.endsWith(" 1"), body, truncated: block.truncated };
        }
      }
      const len = end + 1 - start;
      if (block.bytes + len > this.maxBlockBytes) block.truncated = true;
      else {
        block.chunks.push(Buffer.from(data.subarray(start, end + 1)));
        block.bytes += len;
      }
      return null;
    }
    if (data[start] !== PERCENT) return null;
    const head = data.toString("latin1", start, Math.min(end, start + 256)).replace(/\r$/, "");
    if (head.startsWith("%begin ")) {
      this.block = { args: head.slice(7), chunks: [], bytes: 0, truncated: false };
      return null;
    }
    if (head === "%exit" || head.startsWith("%exit ")) return { type: "exit", reason: head.slice(6) };
    return null;
  }
}
