import { z } from "zod";
import { AGENT_STATE_SOURCES, AGENT_STATES, AGENT_TYPES, ALERT_KINDS, ANSWER_OUTCOMES, ERROR_CODES, ERROR_REASONS, FLEET_EVENT_TYPES, NEEDS_YOU_STATES, ROLES, SEND_KEYS } from "../protocol.ts";
import { DocSchema } from "./doc-schema.ts";

export { DocSchema } from "./doc-schema.ts";
import type {
  AgentStatus,
  Batch,
  EventsSubscribeResult,
  FleetEvent,
  HelloPayload,
  HistoryResult,
  NeedsYouPayload,
  PaneAlert,
  PaneAnswerResult,
  PaneSendResult,
  RecordingFramesResult,
  SearchResult,
  PaneUpdate,
  ResourcesPayload,
  SessionsPayload,
  SubscribeResult,
  Topology,
  WireErrorPayload,
} from "../protocol.ts";

/**
 * zod schemas of everything the server sends: the source of the JSON Schemas in docs/schemas/ and of
 * the test that checks live payloads against them. Each is checked against its type in protocol.ts.
 */
const agentType = z.enum(AGENT_TYPES);
const agentState = z.enum(AGENT_STATES);
const role = z.enum(ROLES);
const errorCode = z.enum(ERROR_CODES);

export const PaneInfoSchema = z.object({
  id: z.string(),
  node: z.string().optional(),
  index: z.number().int(),
  sessionId: z.string(),
  sessionName: z.string(),
  windowId: z.string(),
  windowIndex: z.number().int(),
  title: z.string(),
  command: z.string(),
  agentType,
  agentId: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  active: z.boolean(),
  dead: z.boolean(),
  pid: z.number().int().nullable(),
  cwd: z.string(),
  options: z.record(z.string(), z.string()),
});

const SessionInfoSchema = z.object({
  id: z.string(),
  node: z.string().optional(),
  offline: z.boolean().optional(),
  name: z.string(),
  attached: z.number().int(),
  windows: z.array(z.object({ id: z.string(), node: z.string().optional(), index: z.number().int(), name: z.string(), active: z.boolean(), panes: z.array(PaneInfoSchema) })),
});

export const TopologySchema = z.object({ sessions: z.array(SessionInfoSchema) }) satisfies z.ZodType<Topology>;

/** Lines a frame or delta may hold: far above any screen, a bound on what another node may send. */
const MAX_LINES = 10_000;

export const PaneUpdateSchema = z.object({
  pane: z.string(),
  seq: z.number().int().nonnegative(),
  base: z.number().int().nonnegative(),
  delta: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("full"), lines: z.array(z.string()).max(MAX_LINES) }),
    z.object({ kind: z.literal("diff"), shift: z.number().int().nonnegative(), length: z.number().int().nonnegative().max(MAX_LINES), set: z.array(z.tuple([z.number().int(), z.string()])).max(MAX_LINES) }),
  ]),
  hash: z.number().int().nonnegative(),
  width: z.number().int(),
  height: z.number().int(),
}) satisfies z.ZodType<PaneUpdate>;

/** A pane's whole frame as its node stores it for the others (the cluster's snapshot of a pane). */
export const PaneFrameSchema = z.object({
  seq: z.number().int().nonnegative(),
  lines: z.array(z.string()).max(MAX_LINES),
  hash: z.number().int(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
});

export const HelloSchema = z.object({
  protocolVersion: z.number().int(),
  serverVersion: z.string(),
  epoch: z.string(),
  tmux: z.enum(["up", "down"]),
  watchMode: z.enum(["push", "poll"]),
  principal: z.object({ name: z.string(), role, sessions: z.array(z.string()).nullable() }),
  authEnabled: z.boolean(),
  highlight: z.object({ error: z.array(z.string()), warning: z.array(z.string()) }),
}) satisfies z.ZodType<HelloPayload>;

export const WireErrorSchema = z.object({ code: errorCode, message: z.string(), event: z.string().optional(), requestId: z.string().optional() }) satisfies z.ZodType<WireErrorPayload>;

export const AgentStatusSchema = z.object({
  pane: z.string(),
  source: z.enum(AGENT_STATE_SOURCES),
  state: agentState,
  previous: agentState.nullable(),
  agentType,
  since: z.string(),
  line: z.string().nullable(),
  reason: z.enum(ERROR_REASONS).optional(),
  resetAt: z.string().optional(),
}) satisfies z.ZodType<AgentStatus>;

/**
 * The data of an `agent.status` (or `pane.activity`) event: the status without its pane and time,
 * which the event carries. Bounded, since other nodes' events are read from the shared stream.
 */
export const AgentStatusDataSchema = AgentStatusSchema.omit({ pane: true, since: true }).extend({
  line: z.string().max(4096).nullable(),
  resetAt: z.string().max(64).optional(),
});

export const PaneAlertSchema = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  pane: z.string(),
  session: z.string(),
  window: z.number().int(),
  agentId: z.string().nullable(),
  message: z.string(),
  line: z.string().nullable(),
  at: z.string(),
}) satisfies z.ZodType<PaneAlert>;

export const ResourcesSchema = z.object({
  at: z.string(),
  host: z.object({ load: z.tuple([z.number(), z.number(), z.number()]), cpus: z.number().int(), memTotalBytes: z.number(), memAvailableBytes: z.number() }),
  panes: z.record(z.string(), z.object({ cpu: z.number(), rssBytes: z.number(), processes: z.number().int() })),
}) satisfies z.ZodType<ResourcesPayload>;

const GitStateSchema = z.object({
  root: z.string(),
  branch: z.string().nullable(),
  upstream: z.string().nullable(),
  ahead: z.number().int(),
  behind: z.number().int(),
  dirty: z.boolean(),
  filesChanged: z.number().int(),
  linesAdded: z.number().int(),
  linesRemoved: z.number().int(),
});

export const SessionsSchema = z.object({
  type: z.literal("sessions"),
  sessions: z.array(SessionInfoSchema),
  status: z.record(z.string(), AgentStatusSchema),
  git: z.record(z.string(), GitStateSchema.nullable()),
}) satisfies z.ZodType<SessionsPayload>;

export const FleetEventSchema = z.object({
  id: z.string(),
  type: z.enum(FLEET_EVENT_TYPES),
  timestamp: z.string(),
  schema: z.number().int(),
  session: z.string().nullable(),
  window: z.number().int().nullable(),
  windowId: z.string().nullable(),
  pane: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<FleetEvent>;

const AnswerChoiceSchema = z.object({ label: z.string(), keys: z.array(z.enum(SEND_KEYS)) });

const NeedsYouItemSchema = z.object({
  id: z.string(),
  pane: z.string(),
  node: z.string().optional(),
  session: z.string(),
  window: z.number().int(),
  state: z.enum(NEEDS_YOU_STATES),
  agentType,
  agentId: z.string().nullable(),
  since: z.string(),
  line: z.string().nullable(),
  reason: z.string().optional(),
  choices: z.array(AnswerChoiceSchema),
  promptHash: z.string().nullable(),
  answer: z.object({ outcome: z.enum(ANSWER_OUTCOMES), label: z.string(), by: z.string(), at: z.string() }).optional(),
  resolvedAt: z.string().optional(),
  offline: z.boolean().optional(),
});

export const NeedsYouSchema = z.object({ open: z.array(NeedsYouItemSchema), resolved: z.array(NeedsYouItemSchema) }) satisfies z.ZodType<NeedsYouPayload>;


export const BatchSchema = z.object({
  tmux: z.enum(["up", "down"]).optional(),
  topology: TopologySchema.optional(),
  removed: z.array(z.string()).optional(),
  updates: z.array(PaneUpdateSchema).optional(),
  sessions: SessionsSchema.optional(),
  status: z.array(AgentStatusSchema).optional(),
  alerts: z.array(PaneAlertSchema).optional(),
  resources: ResourcesSchema.optional(),
  events: z.array(FleetEventSchema).optional(),
  eventsMissed: z.object({ since: z.string().nullable() }).optional(),
  docs: z.array(DocSchema).optional(),
  n: z.number().int().nonnegative().optional(),
  needsYou: NeedsYouSchema.optional(),
}) satisfies z.ZodType<Batch>;

/** Every server → client event and its payload schema. */
export const SERVER_EVENTS = {
  hello: HelloSchema,
  "server:error": WireErrorSchema,
  batch: BatchSchema,
} as const;

/** The `data` of successful acks. */
export const ACK_RESULTS = {
  subscribe: z.object({ topology: TopologySchema, updates: z.array(PaneUpdateSchema) }) satisfies z.ZodType<SubscribeResult>,
  "pane:resync": PaneUpdateSchema,
  "pane:history": z.object({ pane: z.string(), lines: z.array(z.string()) }) satisfies z.ZodType<HistoryResult>,
  "pane:keys": z.object({ sent: z.number().int() }),
  "pane:send": z.object({ verified: z.boolean(), attempts: z.number().int(), keysSent: z.number().int(), enterSent: z.boolean(), bytes: z.number().int() }) satisfies z.ZodType<PaneSendResult>,
  "pane:answer": z.object({ outcome: z.enum(ANSWER_OUTCOMES), label: z.string(), keys: z.array(z.enum(SEND_KEYS)) }) satisfies z.ZodType<PaneAnswerResult>,
  "topology:get": TopologySchema,
  "doc:subscribe": DocSchema,
  "events:subscribe": z.object({ events: z.array(FleetEventSchema), truncated: z.boolean() }) satisfies z.ZodType<EventsSubscribeResult>,
  "git:refresh": z.object({ repositories: z.number().int() }),
  "recording:frames": z.object({
    pane: z.string(),
    session: z.string(),
    agentType: z.string(),
    steps: z.array(z.object({ seq: z.number().int(), at: z.number().int(), width: z.number().int(), height: z.number().int(), delta: PaneUpdateSchema.shape.delta })),
    next: z.object({ seq: z.number().int(), at: z.number().int() }).nullable(),
    outline: z
      .object({
        frames: z.array(z.tuple([z.number().int(), z.number().int()])),
        marks: z.array(z.object({ seq: z.number().int(), at: z.number().int(), state: z.string().optional(), alert: z.string().optional(), line: z.string().nullable() })),
        startState: z.string(),
        printed: z.number().int(),
      })
      .optional(),
  }) satisfies z.ZodType<RecordingFramesResult>,
  search: z.object({
    hits: z.array(
      z.object({
        pane: z.string(),
        session: z.string(),
        agentType: z.string(),
        state: z.string(),
        at: z.number().int(),
        seq: z.number().int(),
        line: z.string(),
        context: z.array(z.string()).optional(),
      }),
    ),
    unanswered: z.array(z.string()).optional(),
  }) satisfies z.ZodType<SearchResult>,
} as const;
