import { z } from "zod";
import { RULE_KINDS, type RuleKind } from "./agents/rules/index.ts";
import { int, regexList } from "./config-values.ts";
import { MAX_MUTE_RULES, MUTE_PATTERN } from "./mute.ts";
import { AGENT_TYPES, ALERT_KINDS, WEBHOOK_FORMATS, type AlertKind } from "./protocol.ts";

/**
 * The settings of what panes say and who is told (config-schema.ts puts them in the whole): agent
 * detection, alerts and webhooks, the mute list, Web Push.
 */

const DEFAULT_ERROR_PATTERNS = ["\\berror\\b", "\\bfailed\\b", "\\bexception\\b", "traceback \\(most recent call last\\)", "✗", "\\bpanic:"];
const DEFAULT_WARNING_PATTERNS = ["\\bwarn(ing)?\\b", "\\bdeprecated\\b"];
const DEFAULT_CRITICAL_PATTERNS = ["\\bfatal\\b", "out of memory", "segmentation fault", "rate limit", "api error", "permission denied"];
/** The push services of Chrome (FCM), Firefox (Mozilla autopush), Edge (WNS) and Safari (Apple). */
const DEFAULT_PUSH_SERVICES = ["https://fcm.googleapis.com", "https://updates.push.services.mozilla.com", "https://*.notify.windows.com", "https://web.push.apple.com"];
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time such as 22:00");
/** Agent states an alert can be raised for: every alert kind but "critical" (a screen pattern). */
const ALERT_STATES = ALERT_KINDS.filter((k): k is Exclude<AlertKind, "critical"> => k !== "critical");

export const AgentsSettings = z
  .object({
    tail_lines: int(1, 200).default(8),
    active_ms: int(100, 600_000).default(3000),
    hook_quiet_ms: int(0, 86_400_000).default(600_000),
    quiet_ms: int(100, 3_600_000).default(5000),
    running_updates: int(1, 100).default(3),
    rules: z
      .partialRecord(
        z.enum(AGENT_TYPES),
        z.object(Object.fromEntries(RULE_KINDS.map((k) => [k, regexList])) as Record<RuleKind, typeof regexList>).partial().strict(),
      )
      .default({}),
  })
  .strict()
  .prefault({});

export const AlertsSettings = z
  .object({
    error_patterns: regexList.default(DEFAULT_ERROR_PATTERNS),
    warning_patterns: regexList.default(DEFAULT_WARNING_PATTERNS),
    critical_patterns: regexList.default(DEFAULT_CRITICAL_PATTERNS),
    on_states: z.array(z.enum(ALERT_STATES)).default(["waiting-for-input", "error"]),
    min_interval_ms: int(0, 3_600_000).default(10_000),
    webhooks: z
      .array(
        z
          .object({
            url: z.string().regex(/^https?:\/\/\S+$/, "an http(s) URL"),
            format: z.enum(WEBHOOK_FORMATS).default("generic"),
            /** For format: template: the body, with {{agent}}, {{state}}, {{line}}, {{url}}, {{message}}, {{session}}, {{pane}}. */
            template: z.string().min(1).max(8192).optional(),
            /** Extra request headers; a value may name env variables as ${NAME}. */
            headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "header names"), z.string().max(4096)).default({}),
            kinds: z.array(z.enum(ALERT_KINDS)).optional(),
            timeout_ms: int(100, 60_000).default(5000),
            retries: int(0, 10).default(3),
          })
          .strict()
          .refine((h) => h.format !== "template" || h.template !== undefined, { message: "format: template needs a template", path: ["template"] }),
      )
      .max(16)
      .default([]),
    /** A waiting-for-input that resolves within this is not sent to webhooks or pushed. */
    grace_ms: int(0, 600_000).default(3000),
    /** No webhook or push between start and end (HH:MM, in timezone; null: the server's). */
    quiet_hours: z
      .object({ start: hhmm, end: hhmm, timezone: z
          .string()
          .min(1)
          .max(64)
          .refine((tz) => {
            try {
              new Intl.DateTimeFormat("en-GB", { timeZone: tz });
              return true;
            } catch {
              return false;
            }
          }, "an IANA time zone such as Europe/Berlin")
          .nullable()
          .default(null) })
      .strict()
      .nullable()
      .default(null),
  })
  .strict()
  .prefault({});

export const NotifySettings = z
  .object({
    /**
     * Panes no webhook or push is sent for, for everyone (a browser mutes more for itself): globs
     * over session and window names (`build-*`, `infra:*`) and agent types.
     */
    mute: z
      .object({
        patterns: z.array(z.string().regex(MUTE_PATTERN, "globs such as build-* or infra:*, at most 100 characters")).max(MAX_MUTE_RULES).default([]),
        types: z.array(z.enum(AGENT_TYPES)).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export const PushSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** The VAPID subject push services may contact: a mailto: or https: URL. */
    subject: z.string().regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, "a mailto: or https: URL").default("mailto:panecast@example.com"),
    /** Push service origins a subscription may point at (`*.` matches any subdomain). */
    allowed_endpoints: z.array(z.string().regex(/^https:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/, "https origins such as https://fcm.googleapis.com")).max(64).default(DEFAULT_PUSH_SERVICES),
    max_subscriptions_per_token: int(1, 1000).default(10),
    ttl_seconds: int(0, 2_419_200).default(3600),
  })
  .strict()
  .prefault({});
