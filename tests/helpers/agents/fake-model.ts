import http from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted answer of a fake model server, taken from its queue by the next main request. */
export type Turn =
  | { kind: "text"; text: string; /** Pause between chunks, so a stream is on screen long enough to see. */ chunkMs?: number; chunks?: number }
  | { kind: "tool"; command: string; /** Text streamed before the call. */ text?: string; /** Ask to run outside the sandbox (Codex asks the person then). */ escalate?: boolean }
  | { kind: "error"; status: number; message: string; headers?: Record<string, string>; /** google.rpc details (Gemini API), as the real API adds them. */ details?: unknown[] }
  /** Streams the start of an answer, then holds the response open until the client goes away (Esc). */
  | { kind: "hang"; text: string };

/** When a main request came and what it was answered with: the "true moments" for latency. */
export interface LogEntry {
  at: number;
  path: string;
  turn: Turn["kind"] | "side";
  /** The scripted prompt the request answered, if any. */
  prompt?: string;
  /** When the answer ended (for streams: the last event written), or null while open. */
  endedAt: number | null;
}

export interface FakeModel {
  url: string;
  /**
   * The answers to a prompt: a main request whose latest person's message contains `prompt` gets
   * `turns[n]`, n being how many tool results follow that message (the last turn again past the end:
   * a retry, or a CLI asking twice). Keyed by what the request asks, never by arrival order, so a
   * CLI's extra requests (titles, retries, a turn sent late) cannot shift the answers of later phases.
   */
  script(prompt: string, ...turns: Turn[]): void;
  /** Whether `prompt` has scripted answers. */
  scripted(prompt: string): boolean;
  /** Answers for the next main requests that match no scripted prompt, in order. */
  queue(...turns: Turn[]): void;
  /** Drops the turns not yet taken and the scripted prompts. */
  clear(): void;
  log: LogEntry[];
  /** Resolves with the log entry of the next main request that ends (or is abandoned). */
  nextEnded(): Promise<LogEntry>;
  close(): Promise<void>;
}

export interface Wire {
  /** True for a request that is the agent's own turn (not a title, a quota check or a token count). */
  isMain(path: string, body: unknown): boolean;
  /** The request's conversation, oldest first: person's text messages and tool results. */
  messages(body: unknown): Said[];
  /** A sane answer for every other request. */
  side(req: http.IncomingMessage, body: unknown, res: http.ServerResponse): void;
  /** Writes one scripted turn as this wire format; resolves when the response is done. */
  answer(turn: Turn, body: unknown, res: http.ServerResponse, req: http.IncomingMessage): Promise<void>;
}

/** One message of a request's conversation, as far as scripting cares. */
export type Said = { role: "user"; text: string } | { role: "tool" } | { role: "other" };

const MAX_BODY = 8 * 1024 * 1024;

/**
 * The scripted prompt a request answers and its step: the latest person's text message (tool
 * results are sent as user messages by some APIs: they are not it), and the tool results after it.
 */
export function keyed(said: Said[], prompts: readonly string[]): { prompt: string; step: number } | null {
  let step = 0;
  for (let i = said.length - 1; i >= 0; i--) {
    const m = said[i]!;
    if (m.role === "tool") step++;
    if (m.role !== "user") continue;
    // Context a CLI adds as a message of its own (Codex's <environment_context>) is not the person's.
    if (m.text.trimStart().startsWith("<") && !prompts.some((p) => m.text.includes(p))) continue;
    let best: string | null = null;
    for (const p of prompts) if (m.text.includes(p) && (best === null || p.length > best.length)) best = p;
    return best === null ? null : { prompt: best, step };
  }
  return null;
}

/** Text of a message's content: a string, or parts with `text`. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((c) => (c && typeof c === "object" && typeof (c as { text?: unknown }).text === "string" ? (c as { text: string }).text : "")).join("\n");
}

/** A local model API on 127.0.0.1, port 0: the CLIs under test talk to it and nothing else. */
export async function startFakeModel(wire: Wire): Promise<FakeModel> {
  const turns: Turn[] = [];
  const scripts = new Map<string, Turn[]>();
  const log: LogEntry[] = [];
  const waiters: ((e: LogEntry) => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      let body: unknown = null;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : null;
      } catch {
        body = null;
      }
      const p = (req.url ?? "/").split("?")[0]!;
      const main = wire.isMain(p, body);
      const key = main ? keyed(wire.messages(body), [...scripts.keys()]) : null;
      const script = key ? scripts.get(key.prompt)! : null;
      const turn = script ? script[Math.min(key!.step, script.length - 1)] : main ? turns.shift() : undefined;
      const entry: LogEntry = { at: Date.now(), path: p, turn: turn?.kind ?? "side", endedAt: null, ...(key ? { prompt: key.prompt } : {}) };
      if (process.env.PANECAST_FAKE_DEBUG) console.error(`fake ${p} main=${main} prompt=${key ? `${key.prompt}#${key.step}` : "-"} turn=${entry.turn} queued=${turns.length}`);
      if (process.env.PANECAST_FAKE_DEBUG && main && !key) console.error(`fake unkeyed: ${JSON.stringify(wire.messages(body)).slice(-1500)}`);
      log.push(entry);
      if (!turn) {
        wire.side(req, body, res);
        entry.endedAt = Date.now();
        return;
      }
      const done = () => {
        if (entry.endedAt !== null) return;
        entry.endedAt = Date.now();
        waiters.shift()?.(entry);
      };
      res.on("close", done);
      wire.answer(turn, body, res, req).then(done, () => done());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    script: (prompt, ...t) => void scripts.set(prompt, t),
    scripted: (prompt) => scripts.has(prompt),
    queue: (...t) => void turns.push(...t),
    clear: () => {
      turns.splice(0);
      scripts.clear();
    },
    log,
    nextEnded: () => new Promise((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes one SSE event; false once the client has gone. */
export function sse(res: http.ServerResponse, event: string | null, data: unknown): boolean {
  if (res.destroyed || res.writableEnded) return false;
  res.write(`${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
  return true;
}

export function startSse(res: http.ServerResponse, extra: Record<string, string> = {}): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", ...extra });
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The text of a turn cut into `n` pieces, streamed one by one. */
export function pieces(text: string, n: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Resolves when the client closes the response (Esc) — the fake holds a hanging stream open till then. */
export function closed(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => (res.destroyed ? resolve() : res.once("close", () => resolve())));
}

export function json(res: http.ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(data));
}
