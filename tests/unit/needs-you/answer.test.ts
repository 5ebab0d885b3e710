import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { parsePrompt } from "../../../lib/agents/choices.ts";
import { answerPrompt, type AnswerDeps } from "../../../lib/needs-you/answer.ts";
import type { SendRequest } from "../../../lib/panes/sender.ts";
import type { NeedsYouItem } from "../../../lib/protocol.ts";

const MENU = ["Do you want to proceed?", "❯ 1. Yes", "  2. No, and tell me what to do"];
const hash = parsePrompt(MENU)!.hash;

/** A queue of one open item on %1 over a screen in memory; typing Enter answers it. */
function fixture(itemId: string) {
  let screen = [...MENU];
  let open: NeedsYouItem | undefined = { id: itemId, pane: "%1", promptHash: hash } as NeedsYouItem;
  const changes = new EventEmitter();
  const sent: SendRequest[] = [];
  const notes: string[] = [];
  const deps: AnswerDeps = {
    queue: {
      item: (pane) => (pane === "%1" ? open : undefined),
      prompt: () => (open ? parsePrompt(screen) : null),
      noteAnswer: (id) => void notes.push(id),
    },
    capture: async () => screen,
    send: async (req) => {
      sent.push(req);
      screen = ["$ "];
      open = undefined;
      changes.emit("changed");
      return { verified: true, attempts: 1, keysSent: req.keys?.length ?? 0, enterSent: false, bytes: 0 };
    },
    changes,
    verifyTimeoutMs: 5000,
  };
  return { deps, sent, notes };
}

describe("a one-tap answer", () => {
  it("answers the same question opened again under a new item id (a redraw read between frames), by its prompt hash", async () => {
    const { deps, sent, notes } = fixture("item-2");
    const r = await answerPrompt(deps, { pane: "%1", itemId: "item-1", choice: 1, promptHash: hash }, "op");
    expect(r).toMatchObject({ outcome: "answered", label: "No, and tell me what to do" });
    expect(sent).toHaveLength(1);
    expect(notes).toEqual(["item-2"]);
  });

  it("refuses another question under another id with STALE_PROMPT, and types nothing", async () => {
    const { deps, sent } = fixture("item-2");
    await expect(answerPrompt(deps, { pane: "%1", itemId: "item-1", choice: 0, promptHash: "0badc0de" }, "op")).rejects.toMatchObject({ code: "STALE_PROMPT" });
    expect(sent).toEqual([]);
  });
});
