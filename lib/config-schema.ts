import { z } from "zod";
import { COMMAND_CHANNELS } from "./tmux/command-line.ts";
import { AgentsSettings, AlertsSettings, NotifySettings, PushSettings } from "./config-alerts.ts";
import { int } from "./config-values.ts";
import { DOCUMENT_NAME, SESSION_GLOB } from "./protocol/ids.ts";

/**
 * The shape of panecast's settings, with every default: what config/panecast.example.yaml documents.
 * lib/config.ts loads and layers the sources and reports a bad value.
 */
const name = z.string().regex(DOCUMENT_NAME, "letters, digits, '.', '_' or '-'");

export const ConfigSchema = z
  .object({
    /** Where every piece of state lives (tokens, audit log, web UI copy…); null: the XDG state dir. */
    data_dir: z.string().min(1).nullable().default(null),
    server: z
      .object({
        host: z.string().min(1).default("127.0.0.1"),
        port: int(0, 65535).default(3000),
        base_path: z
          .string()
          .regex(/^(\/[A-Za-z0-9._~-]+)*$/, "empty, or a path such as /panecast (no trailing slash)")
          .default(""),
        /**
         * The reverse proxy's own listener: a unix socket path (absolute) or host:port. Only there
         * are X-Forwarded-For/-Proto/-Host believed (besides `trust_proxy` peers).
         */
        proxy_listen: z
          .string()
          .regex(/^(\/\S+|[0-9A-Za-z.:[\]-]+:\d{1,5})$/, "an absolute unix socket path such as /run/user/1000/panecast.sock, or host:port such as 127.0.0.1:3001")
          .nullable()
          .default(null),
        /** Mode of the proxy_listen unix socket: 600 (the proxy runs as this user) or 660 (in this user's group). */
        proxy_socket_mode: z.enum(["600", "660"]).default("660"),
        trust_proxy: z.array(z.string().regex(/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/, "IP addresses or CIDRs such as 127.0.0.1/32")).max(64).default([]),
        allowed_origins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, "origins such as https://panecast.example.com")).max(64).default([]),
        /** The URL people open (behind a proxy: the proxy's); its host is an allowed Host. */
        public_url: z
          .string()
          .regex(/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/, "a URL such as https://panecast.example.com/panecast")
          .refine((u) => URL.canParse(u), "a URL such as https://panecast.example.com/panecast")
          .nullable()
          .default(null),
        /** Host names (optionally with :port) the server answers to besides localhost and the bind address. */
        allowed_hosts: z
          .array(z.string().regex(/^([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/, "host names such as panecast.example.com or panecast.example.com:8443"))
          .max(64)
          .default([]),
        insecure_no_auth: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    tmux: z
      .object({
        socket_name: name.nullable().default(null),
        socket_path: z.string().min(1).nullable().default(null),
        sessions: z.array(z.string().regex(SESSION_GLOB, "session names or globs")).default([]),
        user_options: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "user option names without '@'")).max(16).default(["agent_id"]),
        command_timeout_ms: int(100, 60_000).default(5000),
        enabled: z.boolean().default(true),
        command_channel: z.enum(COMMAND_CHANNELS).default("control"),
      })
      .strict()
      .prefault({}),
    watch: z
      .object({
        mode: z.enum(["push", "poll"]).default("push"),
        frame_interval_ms: int(0, 5000).default(30),
        /**
         * A pane that keeps printing (again within this of its last read) is read at most this often,
         * unless a client shows it in its focused view or it was typed into; a pane's first output
         * after a quiet spell is read at once (0: every pane at the frame interval).
         */
        busy_interval_ms: int(0, 60_000).default(500),
        topology_refresh_ms: int(100, 60_000).default(2000),
        max_panes: int(1, 10_000).default(1000),
      })
      .strict()
      .prefault({}),
    capture: z
      .object({
        colors: z.boolean().default(true),
        history_lines: int(0, 100_000).default(2000),
      })
      .strict()
      .prefault({}),
    poll: z
      .object({
        base_interval_ms: int(20, 600_000).default(500),
        max_interval_ms: int(20, 600_000).default(5000),
        no_change_threshold: int(1, 1000).default(4),
      })
      .strict()
      .prefault({}),
    hub: z
      .object({
        max_clients: int(1, 100_000).default(1000),
        max_buffered_packets: int(4, 10_000).default(64),
        max_unacked_batches: int(2, 10_000).default(32),
        frame_ms: int(1, 1000).default(16),
        /** Panes a page shows off screen get their screen at most this often (0: as often as the rest). */
        far_interval_ms: int(0, 60_000).default(2000),
        replay_per_pane: int(0, 1024).default(32),
        max_message_bytes: int(1024, 16 * 1024 * 1024).default(64 * 1024),
      })
      .strict()
      .prefault({}),
    dashboards: z
      .array(z.object({ name: name, path: z.string().min(1) }).strict())
      .default([{ name: "dashboard", path: "./dashboard.md" }]),
    history: z
      .object({ path: z.string().min(1).default("./shogun_to_karo.yaml") })
      .strict()
      .prefault({}),
    auth: z
      .object({
        enabled: z.boolean().default(true),
        /** null: tokens.json in the data directory. */
        tokens_path: z.string().min(1).nullable().default(null),
        session_ttl: z
          .string()
          .regex(/^\d{1,6}[mhdw]$/, "a duration such as 7d, 12h or 90m")
          .refine((d) => {
            const n = Number(d.slice(0, -1)) * { m: 1, h: 60, d: 1440, w: 10080 }[d.slice(-1) as "m" | "h" | "d" | "w"];
            return n >= 5 && n <= 366 * 1440;
          }, "between 5m and 366d")
          .default("7d"),
        login_failures_per_minute: int(1, 10_000).default(5),
        /** Sign-ins one token may hold at once; a new one ends that token's least recently used. */
        max_sessions_per_token: int(1, 10_000).default(50),
        /** Successful logins of one token a minute; more are refused with RATE_LIMITED. */
        logins_per_token_per_minute: int(1, 10_000).default(30),
      })
      .strict()
      .prefault({}),
    audit: z
      .object({
        /** null: audit.jsonl in the data directory. */
        path: z.string().min(1).nullable().default(null),
        log_content: z.boolean().default(false),
        max_bytes: int(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
        /** Rotated files kept (<path>.1 newest … <path>.N oldest): disk is bounded by (N + 1) × max_bytes. */
        generations: int(0, 100).default(5),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        socket_messages_per_second: int(1, 100_000).default(50),
        socket_messages_burst: int(1, 100_000).default(100),
        messages_per_second: int(1, 100_000).default(200),
        messages_burst: int(1, 100_000).default(400),
        flood_disconnect_after: int(1, 1_000_000).default(1000),
        max_queued_packets: int(8, 100_000).default(256),
        max_queued_bytes: int(64 * 1024, 1024 * 1024 * 1024).default(4 * 1024 * 1024),
        max_queued_bytes_per_token: int(64 * 1024, 4 * 1024 * 1024 * 1024).default(16 * 1024 * 1024),
        sends_per_minute: int(1, 100_000).default(120),
        keys_per_minute: int(1, 100_000).default(1200),
        max_connections_per_ip: int(1, 100_000).default(64),
      })
      .strict()
      .prefault({}),
    agents: AgentsSettings,
    alerts: AlertsSettings,
    notify: NotifySettings,
    push: PushSettings,
    needs_you: z
      .object({
        /** Resolved items kept (newest first) for the Alerts panel. */
        max_resolved: int(0, 1000).default(50),
        /** How long a one-tap answer's prompt has to go away before the item says "not answered". */
        verify_timeout_ms: int(100, 60_000).default(3000),
      })
      .strict()
      .prefault({}),
    resources: z
      .object({
        interval_ms: int(500, 600_000).default(5000),
        /** While no pane uses CPU the interval doubles up to this; a pane's output brings it back. */
        max_interval_ms: int(500, 3_600_000).default(30_000),
        enabled: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    git: z
      .object({
        enabled: z.boolean().default(true),
        poll_interval_ms: int(60_000, 3_600_000).default(60_000),
        debounce_ms: int(0, 10_000).default(250),
        max_watchers: int(0, 100_000).default(1024),
        max_concurrent: int(1, 32).default(2),
        timeout_ms: int(100, 120_000).default(5000),
      })
      .strict()
      .prefault({}),
    events: z
      .object({ ring_size: int(10, 1_000_000).default(2000), sessions_debounce_ms: int(0, 60_000).default(500) })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        enabled: z.boolean().default(true),
        listen: z
          .string()
          .regex(/^[0-9A-Za-z.:[\]-]+:\d{1,5}$/, "host:port, such as 127.0.0.1:9464")
          .nullable()
          .default(null),
      })
      .strict()
      .prefault({}),
    cluster: z
      .object({
        node: name.nullable().default(null),
        redis_url: z
          .string()
          .regex(/^rediss?:\/\/\S+$/, "a redis:// or rediss:// URL")
          .nullable()
          .default(null),
        offline_after_ms: int(500, 60_000).default(3000),
        offline_ttl_ms: int(1000, 7 * 86_400_000).default(600_000),
        command_timeout_ms: int(500, 120_000).default(15_000),
        /** A search waits this long for the other nodes; those that have not answered are named. */
        search_timeout_ms: int(100, 60_000).default(3000),
        updates_maxlen: int(100, 1_000_000).default(10_000),
        events_maxlen: int(100, 10_000_000).default(10_000),
        /** Encrypts the secrets kept in redis (push endpoints and keys, the VAPID private key); the same on every node. */
        secret: z.string().min(32, "at least 32 characters").max(512).nullable().default(null),
      })
      .strict()
      .prefault({}),
    recorder: z
      .object({
        enabled: z.boolean().default(true),
        /** Session names or globs to record; empty: every watched session. */
        sessions: z.array(z.string().regex(SESSION_GLOB, "session names or globs")).max(256).default([]),
        max_age_hours: int(1, 24 * 366).default(24),
        max_pane_mb: int(1, 1024 * 1024).default(64),
        max_total_mb: int(1, 64 * 1024 * 1024).default(2048),
        flush_ms: int(50, 1000).default(1000),
        keyframe_seconds: int(5, 3600).default(600),
        keyframe_kb: int(16, 64 * 1024).default(256),
        max_queued: int(100, 1_000_000).default(20_000),
        /** The search index's memory (SQLite's page cache), whatever its size on disk. */
        index_cache_mb: int(1, 4096).default(32),
        /** The search index's size on disk (oldest lines dropped first). */
        index_max_mb: int(16, 1024 * 1024).default(1024),
        /** Decoded closed segments kept for rewinding and search context. */
        playback_cache_mb: int(1, 4096).default(64),
        /** No longer used (the index is bounded by index_max_mb): accepted so older settings files still load. */
        index_lines: int(0, 50_000_000).optional(),
        /** Most results a search returns. */
        search_limit: int(1, 10_000).default(200),
        /** Most steps one recording:frames page or export holds. */
        page_limit: int(10, 1_000_000).default(100_000),
      })
      .strict()
      .prefault({}),
    docs: z
      .object({
        max_file_bytes: int(1024, 256 * 1024 * 1024).default(2 * 1024 * 1024),
        cache_entries: int(0, 10_000).default(32),
        cache_max_bytes: int(1024 * 1024, 1024 * 1024 * 1024).default(64 * 1024 * 1024),
        debounce_ms: int(0, 5000).default(50),
        render_timeout_ms: int(10, 600_000).default(5000),
        allow_remote_images: z.boolean().default(false),
        /** Directories a document may resolve into besides its own (a dashboard that is a symlink). */
        allowed_roots: z.array(z.string().min(1)).max(64).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

type Parsed = z.infer<typeof ConfigSchema>;

/** A loaded config: the data directory and every state file path resolved to an absolute path. */
export type Config = Omit<Parsed, "data_dir" | "auth" | "audit"> & {
  /** The settings file read (never served as a document), or null. */
  config_file: string | null;
  data_dir: string;
  auth: Parsed["auth"] & { tokens_path: string };
  audit: Parsed["audit"] & { path: string };
};
