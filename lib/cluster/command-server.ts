import type { z } from "zod";
import { PanecastError, toWireError } from "../errors.ts";
import { log } from "../log.ts";
import { Asked, type Asker, type Bus, type LocalCommands, type LocalSearch } from "./commands.ts";
import { keys } from "./keys.ts";

/**
 * What this node runs when another node asks (sends, keys, answers, history reads and searches of
 * its own panes), answered on the asking node's channel. Built once what it runs exists (the audit
 * log, the answer path, the recorder), so a node never takes a command it cannot run: until then
 * nobody listens on its channel and the asker is told NODE_UNAVAILABLE at once.
 */
export class CommandServer {
  /** `search`: this node's search of its recordings (null: it records nothing, RECORDING_OFF). */
  constructor(
    private readonly bus: Bus,
    private readonly self: string,
    private readonly local: LocalCommands,
    private readonly search: LocalSearch | null,
  ) {
    bus.subscribe(keys.commands(self), (m) => void this.onCommand(m));
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
      answer = { id: asked.id, from: this.self, data: await this.run(asked.cmd, asker) };
    } catch (err) {
      answer = { id: asked.id, from: this.self, error: toWireError(err) };
    }
    await this.bus.publish(keys.replies(asked.from), JSON.stringify(answer)).catch(() => {});
  }

  private run(cmd: z.infer<typeof Asked>["cmd"], asker: Asker): Promise<unknown> {
    switch (cmd.kind) {
      case "search":
        if (!this.search) throw new PanecastError("RECORDING_OFF", `node ${this.self} does not search its recordings`);
        return this.search(cmd.req, asker);
      case "send":
        return this.local.send({ pane: cmd.pane, ...(cmd.text ? { text: cmd.text } : {}), ...(cmd.keys ? { keys: cmd.keys } : {}), ...(cmd.enter ? { enter: true } : {}) }, asker);
      case "keys":
        return this.local.keys(cmd.pane, cmd.input, asker);
      case "answer":
        return this.local.answer({ pane: cmd.pane, itemId: cmd.itemId, choice: cmd.choice, promptHash: cmd.promptHash }, asker);
      case "history":
        return this.local.history(cmd.pane, cmd.lines);
    }
  }
}
