import { randomBytes } from "node:crypto";
import { z } from "zod";
import { PanecastError } from "../errors.ts";
import type { SendRequest, SendResult } from "../panes/sender.ts";
import type { PaneAnswerRequest, PaneAnswerResult, SearchRequest, SearchResult, TerminalInput } from "../protocol.ts";
import { Answer, AnswerResult, Searched, type Asker, type Bus, type Command } from "./commands.ts";
import { keys } from "./keys.ts";

/** Commands in flight at most; past it a new one fails at once. */
const MAX_PENDING = 1000;

/**
 * This node asking another to run something on its panes, over Redis pub/sub: the command goes to
 * the owning node's channel (no subscriber there: the node is unavailable, at once), and the answer
 * comes back on this node's channel within a timeout. Built with the cluster, before anything runs
 * commands here (that is the CommandServer's part, built once the agents exist).
 */
export class CommandClient {
  private readonly pending = new Map<string, { node: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly bus: Bus,
    private readonly self: string,
    private readonly timeoutMs: number,
  ) {
    bus.subscribe(keys.replies(self), (m) => this.onAnswer(m));
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
      receivers = await this.bus.publish(keys.commands(node), JSON.stringify({ id, from: this.self, token: asker.token, role: asker.role, cmd }));
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
