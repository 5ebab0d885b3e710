import { z } from "zod";
import { textProblem } from "../panes/send-text.ts";
import { AGENT_STATES, AGENT_TYPES, FLEET_EVENT_TYPES, ROLES, SEND_KEYS, TERMINAL_KEYS } from "../protocol.ts";
import { DOCUMENT_NAME, PANE_ID, SESSION_GLOB, SESSION_NAME, SESSION_REF, TOKEN_NAME, WINDOW_ID } from "./ids.ts";
import type { BatchAckRequest, EventsSubscribeRequest, HistoryRequest, PaneAnswerRequest, PaneKeysRequest, PaneSendRequest, RecordingFramesRequest, ResyncRequest, SearchRequest, SubscribeRequest, TokenCreateRequest, ViewSetRequest } from "../protocol.ts";

/**
 * zod schemas for every client message, in one place: the handlers validate with them, and
 * `npm run docs:schemas` turns them into the JSON Schemas of docs/schemas/. Unknown keys are refused,
 * sizes are bounded.
 */
const paneId = z.string().regex(PANE_ID, "a pane id such as %3 (beta/%3 in a cluster)");
const ids = (re: RegExp, what: string) => z.array(z.string().regex(re, what)).max(256);

export const SubscribeSchema = z
  .object({
    filter: z
      .object({
        sessions: ids(SESSION_REF, "a session name or id").optional(),
        windows: ids(WINDOW_ID, "a window id such as @2").optional(),
        panes: ids(PANE_ID, "a pane id such as %3").optional(),
      })
      .strict()
      .optional(),
    have: z
      .object({
        epoch: z.string().max(64),
        seqs: z.record(paneId, z.number().int().nonnegative()).refine((r) => Object.keys(r).length <= 10_000, "at most 10000 panes"),
      })
      .strict()
      .optional(),
  })
  .strict() satisfies z.ZodType<SubscribeRequest>;

export const ResyncSchema = z.object({ pane: paneId }).strict() satisfies z.ZodType<ResyncRequest>;

export const HistorySchema = z
  .object({ pane: paneId, lines: z.number().int().min(1).max(100_000).optional() })
  .strict() satisfies z.ZodType<HistoryRequest>;

export const EmptySchema = z.object({}).strict();

/** Far more than any page shows: a list past it is refused. */
const MAX_FAR_PANES = 10_000;

/** Most panes one client may show in its focused view. */
export const MAX_FOCUS_PANES = 8;

export const ViewSetSchema = z
  .object({ far: z.array(paneId).max(MAX_FAR_PANES), frameMs: z.number().int().min(0).max(1000).optional(), focus: z.array(paneId).max(MAX_FOCUS_PANES).optional() })
  .strict() satisfies z.ZodType<ViewSetRequest>;

export const BatchAckSchema = z.object({ n: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict() satisfies z.ZodType<BatchAckRequest>;

export const DocSubscribeSchema = z.object({ name: z.string().regex(DOCUMENT_NAME, "a document name") }).strict();

/** Most characters one send may type. */
export const MAX_SEND_CHARS = 16_384;

export const PaneSendSchema = z
  .object({
    pane: paneId,
    text: z
      .string()
      .max(MAX_SEND_CHARS, `at most ${MAX_SEND_CHARS} characters`)
      .superRefine((t, ctx) => {
        const problem = textProblem(t);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    keys: z.array(z.enum(SEND_KEYS)).max(32).optional(),
    enter: z.boolean().optional(),
    multiline: z.boolean().optional(),
  })
  .strict()
  .refine((r) => (r.text ?? "") !== "" || (r.keys?.length ?? 0) > 0 || r.enter === true, "send text, keys or enter") satisfies z.ZodType<PaneSendRequest>;

/** A one-tap answer: the item and prompt it was tapped on, and which of its choices. */
export const PaneAnswerSchema = z
  .object({
    pane: paneId,
    itemId: z.string().regex(/^[0-9a-f-]{36}$/, "a needs-you item id"),
    choice: z.number().int().min(0).max(8),
    promptHash: z.string().regex(/^[0-9a-f]{8}$/, "a prompt hash"),
  })
  .strict() satisfies z.ZodType<PaneAnswerRequest>;

/**
 * A tmux key name keyboard mode may send: a name from TERMINAL_KEYS or one printable ASCII character
 * (not `;`, which tmux reads as the end of a command), after at most one each of `C-`, `M-`, `S-`.
 */
export const TERMINAL_KEY = new RegExp(`^(?!.*(C-.*C-|M-.*M-|S-.*S-))(?:[CMS]-){0,3}(?:${TERMINAL_KEYS.join("|")}|[\\x21-\\x3a\\x3c-\\x7e])$`);

/** Steps one `pane:keys` batch may hold, and characters one text step may type. */
export const MAX_KEY_STEPS = 64;
export const MAX_KEY_TEXT = 1024;

const printable = (max: number, oneLine: boolean) =>
  z
    .string()
    .min(1)
    .max(max, `at most ${max} characters`)
    .superRefine((t, ctx) => {
      const problem = oneLine && /[\r\n\t]/.test(t) ? "a newline or tab in typed text: send it as a key" : textProblem(t);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

export const PaneKeysSchema = z
  .object({
    pane: paneId,
    input: z
      .array(
        z.union([
          z.object({ key: z.string().max(16).regex(TERMINAL_KEY, "a tmux key name such as BTab, F5, C-r or M-x") }).strict(),
          z.object({ text: printable(MAX_KEY_TEXT, true) }).strict(),
          z.object({ paste: printable(MAX_SEND_CHARS, false) }).strict(),
        ]),
      )
      .min(1)
      .max(MAX_KEY_STEPS),
  })
  .strict() satisfies z.ZodType<PaneKeysRequest>;

export const EventsSubscribeSchema = z
  .object({
    types: z.array(z.enum(FLEET_EVENT_TYPES)).max(FLEET_EVENT_TYPES.length).optional(),
    sessions: z.array(z.string().regex(SESSION_NAME, "session names")).max(256).optional(),
    windows: z.array(z.string().regex(WINDOW_ID, "window ids such as @2")).max(256).optional(),
    since: z.string().regex(/^[0-9a-f]{1,32}:\d{1,16}$/, "an event id").optional(),
  })
  .strict() satisfies z.ZodType<EventsSubscribeRequest>;

export const TokenCreateSchema = z
  .object({
    name: z.string().regex(TOKEN_NAME, "letters, digits, '.', '_' or '-'"),
    role: z.enum(ROLES),
    sessions: z.array(z.string().regex(SESSION_GLOB, "session names or globs")).max(64).optional(),
    expires: z.string().max(16).optional(),
  })
  .strict() satisfies z.ZodType<TokenCreateRequest>;
export const TokenRevokeSchema = z.object({ name: z.string().regex(TOKEN_NAME, "a token name") }).strict();

const epochMs = z.number().int().min(0).max(8.64e15);

export const RecordingFramesSchema = z
  .object({
    pane: paneId,
    seq: z.number().int().nonnegative().optional(),
    at: epochMs.optional(),
    until: epochMs.optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
    outline: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<RecordingFramesRequest>;

export const SearchSchema = z
  .object({
    text: z.string().min(1).max(500),
    panes: ids(PANE_ID, "a pane id such as %3").optional(),
    sessions: z.array(z.string().regex(SESSION_NAME, "session names")).max(256).optional(),
    agentTypes: z.array(z.enum(AGENT_TYPES)).max(AGENT_TYPES.length).optional(),
    states: z.array(z.enum(AGENT_STATES)).max(AGENT_STATES.length).optional(),
    since: epochMs.optional(),
    until: epochMs.optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict() satisfies z.ZodType<SearchRequest>;

/** The first problem of a failed parse, as one short line for the client. */
export function describeIssue(err: z.ZodError): string {
  const i = err.issues[0];
  if (!i) return "invalid message";
  const where = i.path.length > 0 ? i.path.join(".") : "message";
  return `${where}: ${i.message}`;
}
