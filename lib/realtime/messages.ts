import { z } from "zod";
import type { HistoryRequest, ResyncRequest, SubscribeRequest } from "../protocol.ts";

/** zod schemas for every client message. Unknown keys are refused, sizes are bounded. */
const paneId = z.string().regex(/^%\d{1,7}$/, "a pane id such as %3");
const ids = (re: RegExp, what: string) => z.array(z.string().regex(re, what)).max(256);

export const SubscribeSchema = z
  .object({
    filter: z
      .object({
        sessions: ids(/^(\$\d{1,7}|[A-Za-z0-9_][A-Za-z0-9_-]{0,63})$/, "a session name or id").optional(),
        windows: ids(/^@\d{1,7}$/, "a window id such as @2").optional(),
        panes: ids(/^%\d{1,7}$/, "a pane id such as %3").optional(),
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

/** The first problem of a failed parse, as one short line for the client. */
export function describeIssue(err: z.ZodError): string {
  const i = err.issues[0];
  if (!i) return "invalid message";
  const where = i.path.length > 0 ? i.path.join(".") : "message";
  return `${where}: ${i.message}`;
}
