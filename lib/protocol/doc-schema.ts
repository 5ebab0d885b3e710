import { z } from "zod";
import type { DocPayload } from "../protocol.ts";

/** The schema of a document payload (dashboard.md, history) and every bad file's state; payloads.ts re-exports it. */

const fileProblem = [
  z.object({ state: z.literal("missing") }),
  z.object({ state: z.literal("too-large"), size: z.number(), limit: z.number() }),
  z.object({ state: z.literal("binary") }),
  z.object({ state: z.literal("unreadable") }),
  z.object({ state: z.literal("too-slow"), limitMs: z.number() }),
  z.object({ state: z.literal("render-failed") }),
] as const;

export const DocSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("markdown"),
    name: z.string(),
    path: z.string(),
    doc: z.discriminatedUnion("state", [
      z.object({
        state: z.literal("ok"),
        html: z.string(),
        raw: z.string(),
        toc: z.array(z.object({ level: z.number().int(), text: z.string(), id: z.string() })),
        mtimeMs: z.number(),
        size: z.number(),
      }),
      ...fileProblem,
    ]),
  }),
  z.object({
    kind: z.literal("history"),
    name: z.string(),
    path: z.string(),
    doc: z.discriminatedUnion("state", [
      z.object({
        state: z.literal("ok"),
        entries: z.array(
          z.object({ id: z.string().nullable(), timestamp: z.string().nullable(), command: z.string().nullable(), status: z.string().nullable(), assignee: z.string().nullable(), details: z.string() }),
        ),
        mtimeMs: z.number(),
        size: z.number(),
      }),
      z.object({ state: z.literal("invalid"), message: z.string(), line: z.number().int().nullable() }),
      ...fileProblem,
    ]),
  }),
]) satisfies z.ZodType<DocPayload>;
