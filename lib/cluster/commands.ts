import { randomBytes } from "node:crypto";
import { z } from "zod";
import { PanecastError, toWireError } from "../errors.ts";
import { log } from "../log.ts";
import { ANSWER_OUTCOMES, ERROR_CODES, ROLES, SEND_KEYS, type PaneAnswerRequest, type PaneAnswerResult, type SearchRequest, type SearchResult, type TerminalInput } from "../protocol.ts";
import type { Caller } from "../protocol/caller.ts";
import { LOCAL_PANE_ID, NODE_NAME } from "../protocol/ids.ts";
import { PaneAnswerSchema, PaneKeysSchema, SearchSchema } from "../protocol/messages.ts";
import type { SendRequest, SendResult } from "../panes/sender.ts";
import { keys } from "./keys.ts";

/** Who asked, and from which node, as the owning node audits it. */
export interface Asker extends Caller {
  node: string;
}

/** What this node runs for other nodes, on its own panes (local ids). */
export interface LocalCommands {
  send(req: SendRequest, asker: Asker): Promise<SendResult>;
  history(pane: string, lines: number): Promise<string[]>;
  keys(pane: string, input: TerminalInput[], asker: Asker): Promise<number>;
  /** A one-tap answer to this node's needs-you item (checked against the screen here: STALE_PROMPT). */
  answer(req: PaneAnswerRequest, asker: Asker): Promise<PaneAnswerResult>;
}

const localPane = z.string().regex(LOCAL_PANE_ID);
const Asked = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/),
  from: z.string().regex(NODE_NAME),
  token: z.string().max(64),
  role: z.enum(ROLES),
  cmd: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("send"), pane: localPane, text: z.string().max(16_384).optional(), keys: z.array(z.enum(SEND_KEYS)).max(32).optional(), enter: z.boolean().optional() }),
    z.object({ kind: z.literal("history"), pane: localPane, lines: z.number().int().min(1).max(100_000) }),
    // The same grammar as a local pane:keys: the asking node is not trusted for it.
    z.object({ kind: z.literal("keys"), pane: localPane, input: PaneKeysSchema.shape.input }),
    z.object({ kind: z.literal("answer"), pane: localPane, itemId: PaneAnswerSchema.shape.itemId, choice: PaneAnswerSchema.shape.choice, promptHash: PaneAnswerSchema.shape.promptHash }),
    // A search of this node's recordings, under the asker's own token and its session limits here.
    z.object({ kind: z.literal("search"), req: SearchSchema }),
  ]),
});
const AnswerResult = z.object({ outcome: z.enum(ANSWER_OUTCOMES), label: z.string().max(200), keys: z.array(z.enum(SEND_KEYS)).max(12) });
// `from`: the node that answered; a reply from any other node (a forged one) is not taken.
const Answer = z.object({ id: z.string(), from: z.string().max(64), data: z.unknown().optional(), error: z.object({ code: z.enum(ERROR_CODES), message: z.string().max(1000) }).optional() });

type Command = z.infer<typeof Asked>["cmd"];

/** What commands need of Redis: publish (to how many subscribers) and subscribe. */
export interface Bus {
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
}
/** What another node's search answers, checked before it is merged (lengths bounded like ours). */
const Searched = z.object({
  hits: z
    .array(
      z.object({
        pane: z.string().max(200),
        session: z.string().max(200),
        agentType: z.string().max(64),
        state: z.string().max(64),
        at: z.number(),
        seq: z.number(),
        line: z.string().max(100_000),
        context: z.array(z.string().max(100_000)).max(16).optional(),
      }),
    )
    .max(10_000),
}) satisfies z.ZodType<SearchResult>;

/** This node's search, for another node's asker. */
export type LocalSearch = (req: SearchRequest, asker: Asker) => Promise<SearchResult>;

/** Commands in flight at most; past it a new one fails at once. */
const MAX_PENDING = 1000;

/**
 * Sends and history reads for panes on other nodes, over Redis pub/sub: the command goes to the
 * owning node's channel (no subscriber there: the node is unavailable), runs there through its own
 * sender, and the answer comes back on the asking node's channel, within a timeout.
 */
export class Commands {
  private readonly pending = new Map<string, { node: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly redis: Bus,
    private readonly sub: Bus,
    private readonly self: string,
    private readonly timeoutMs: number,
  ) {}

  private local: LocalCommands | null = null;
  private searcher: LocalSearch | null = null;

  /** What this node answers to another node's search (set once its recorder exists). */
  serveSearch(search: LocalSearch): void {
    this.searcher = search;
  }

  /** What this node runs for the others (set once the node's auth and audit exist). */
  serve(local: LocalCommands): void {
    this.local = local;
  }

  private listening = { commands: false, replies: false };

  /** Subscribes once; a retry after a partial failure does not add a second listener (a send would run twice). */
  async start(): Promise<void> {
    if (!this.listening.commands) {
      await this.sub.subscribe(keys.commands(this.self), (m) => void this.onCommand(m));
      this.listening.commands = true;
    }
    if (!this.listening.replies) {
      await this.sub.subscribe(keys.replies(this.self), (m) => this.onAnswer(m));
      this.listening.replies = true;
    }
  }

  stop(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new PanecastError("NODE_UNAVAILABLE", "this node is stopping"));
    }
    this.pending.clear();
  }

  send(node: string, req: SendRequest, asker: Omit<Asker, "node">): Promise<SendResult> {
    return this.ask(node, { kind: "send", ...req }, asker) as Promise<SendResult>;
  }

  async keys(node: string, pane: string, input: TerminalInput[], asker: Omit<Asker, "node">): Promise<number> {
    return z.number().int().parse(await this.ask(node, { kind: "keys", pane, input }, asker));
  }

  async answer(node: string, req: PaneAnswerRequest, asker: Omit<Asker, "node">): Promise<PaneAnswerResult> {
    return AnswerResult.parse(await this.ask(node, { kind: "answer", pane: req.pane, itemId: req.itemId, choice: req.choice, promptHash: req.promptHash }, asker));
  }

  async history(node: string, pane: string, lines: number, asker: Omit<Asker, "node">): Promise<string[]> {
    const got = await this.ask(node, { kind: "history", pane, lines }, asker);
    return z.array(z.string()).parse(got);
  }

  /** Searches another node's recordings; fails with NODE_UNAVAILABLE after `timeoutMs`. */
  async search(node: string, req: SearchRequest, asker: Omit<Asker, "node">, timeoutMs: number): Promise<SearchResult> {
    return Searched.parse(await this.ask(node, { kind: "search", req }, asker, timeoutMs));
  }

  private async ask(node: string, cmd: Command, asker: Omit<Asker, "node">, timeoutMs = this.timeoutMs): Promise<unknown> {
    const unavailable = () => new PanecastError("NODE_UNAVAILABLE", `node ${node} is not reachable`);
    if (this.pending.size >= MAX_PENDING) throw new PanecastError("RATE_LIMITED", "too many commands to other nodes in flight");
    const id = randomBytes(12).toString("hex");
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(unavailable());
      }, timeoutMs);
      this.pending.set(id, { node, resolve, reject, timer });
    });
    const settle = this.pending.get(id)!;
    let receivers = 0;
    try {
      receivers = await this.redis.publish(keys.commands(node), JSON.stringify({ id, from: this.self, token: asker.token, role: asker.role, cmd }));
    } catch {
      receivers = 0;
    }
    if (receivers === 0) {
      clearTimeout(settle.timer);
      this.pending.delete(id);
      throw unavailable();
    }
    return answer;
  }

  private async onCommand(raw: string): Promise<void> {
    let asked: z.infer<typeof Asked>;
    try {
      asked = Asked.parse(JSON.parse(raw));
    } catch {
      log.warn("cluster: a malformed command was ignored");
      return;
    }
    const asker: Asker = { node: asked.from, token: asked.token, role: asked.role };
    let answer: { id: string; from: string; data?: unknown; error?: { code: string; message: string } };
    try {
      const { cmd } = asked;
      if (!this.local) throw new PanecastError("NODE_UNAVAILABLE", `node ${this.self} is starting`);
      if (cmd.kind === "search" && !this.searcher) throw new PanecastError("RECORDING_OFF", `node ${this.self} does not search its recordings`);
      const data =
        cmd.kind === "search"
          ? await this.searcher!(cmd.req, asker)
          : cmd.kind === "send"
          ? await this.local.send({ pane: cmd.pane, ...(cmd.text ? { text: cmd.text } : {}), ...(cmd.keys ? { keys: cmd.keys } : {}), ...(cmd.enter ? { enter: true } : {}) }, asker)
          : cmd.kind === "keys"
            ? await this.local.keys(cmd.pane, cmd.input, asker)
            : cmd.kind === "answer"
              ? await this.local.answer({ pane: cmd.pane, itemId: cmd.itemId, choice: cmd.choice, promptHash: cmd.promptHash }, asker)
              : await this.local.history(cmd.pane, cmd.lines);
      answer = { id: asked.id, from: this.self, data };
    } catch (err) {
      answer = { id: asked.id, from: this.self, error: toWireError(err) };
    }
    await this.redis.publish(keys.replies(asked.from), JSON.stringify(answer)).catch(() => {});
  }

  private onAnswer(raw: string): void {
    let a: z.infer<typeof Answer>;
    try {
      a = Answer.parse(JSON.parse(raw));
    } catch {
      return;
    }
    const p = this.pending.get(a.id);
    if (!p || p.node !== a.from) return;
    this.pending.delete(a.id);
    clearTimeout(p.timer);
    if (a.error) p.reject(new PanecastError(a.error.code, a.error.message));
    else p.resolve(a.data);
  }
}
