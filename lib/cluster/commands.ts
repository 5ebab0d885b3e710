import { z } from "zod";
import { ANSWER_OUTCOMES, ERROR_CODES, ROLES, SEND_KEYS, type PaneAnswerRequest, type PaneAnswerResult, type SearchRequest, type SearchResult, type TerminalInput } from "../protocol.ts";
import type { Caller } from "../protocol/caller.ts";
import { LOCAL_PANE_ID, NODE_NAME } from "../protocol/ids.ts";
import { PaneAnswerSchema, PaneKeysSchema, SearchSchema } from "../protocol/messages.ts";
import type { SendRequest, SendResult } from "../panes/sender.ts";

// The wire shapes of requests between nodes: a node asks through its CommandClient
// (lib/cluster/command-client.ts); the owning node runs them through its CommandServer
// (lib/cluster/command-server.ts). Both check what they read against these.

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
export const Asked = z.object({
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
export const AnswerResult = z.object({ outcome: z.enum(ANSWER_OUTCOMES), label: z.string().max(200), keys: z.array(z.enum(SEND_KEYS)).max(12) });
// `from`: the node that answered; a reply from any other node (a forged one) is not taken.
export const Answer = z.object({ id: z.string(), from: z.string().max(64), data: z.unknown().optional(), error: z.object({ code: z.enum(ERROR_CODES), message: z.string().max(1000) }).optional() });

export type Command = z.infer<typeof Asked>["cmd"];

/**
 * What commands need of Redis: publish (to how many subscribers), and a subscription made once the
 * connection is up (lib/cluster/bus.ts), so a part subscribes in its constructor.
 */
export interface Bus {
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string, listener: (message: string) => void): void;
}
/** What another node's search answers, checked before it is merged (lengths bounded like ours). */
export const Searched = z.object({
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
