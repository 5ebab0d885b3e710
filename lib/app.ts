import { randomBytes } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Agent as HttpsAgent } from "node:https";
import { statePath, tmuxSocketOf, type Config } from "./config.ts";
import { DocumentCache } from "./dashboard/cache.ts";
import { Documents } from "./dashboard/documents.ts";
import type { Audience } from "./agents/audience.ts";
import { Awareness } from "./agents/awareness.ts";
import { Auth } from "./auth/auth.ts";
import { secretPaths } from "./auth/secret-paths.ts";
import { LOCAL_ADMIN } from "./auth/principal.ts";
import { Notifier } from "./notify/notifier.ts";
import { createPush, type Push } from "./notify/push.ts";
import { createRequestHandler, type RequestHandler } from "./http/handler.ts";
import { guardHosts, hostCheck } from "./http/host-guard.ts";
import { Health } from "./http/health.ts";
import { HostPolicy } from "./http/host-policy.ts";
import { log, requestId } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import type { TerminalInput } from "./protocol.ts";
import { sendInput } from "./panes/keyboard.ts";
import { sendToPane } from "./panes/sender.ts";
import { answerPrompt } from "./needs-you/answer.ts";
import { NeedsYouQueue } from "./needs-you/queue.ts";
import { AnswerCapabilities } from "./needs-you/capabilities.ts";
import { pushActionsFor } from "./needs-you/push-actions.ts";
import { createAnswerRoute } from "./http/answer-route.ts";
import { RateLimiter } from "./auth/rate-limit.ts";
import { NeedsYouStore } from "./needs-you/store.ts";
import { feedHub, topicsOf } from "./hub/feeds.ts";
import { Hub } from "./hub/hub.ts";
import { PaneTracker } from "./panes/tracker.ts";
import { createRealtime, type PanecastIo } from "./realtime/io.ts";
import type { RealtimeDeps } from "./realtime/deps.ts";
import { ChangeFeed } from "./tmux/change-feed.ts";
import { TmuxRuntime } from "./tmux/runtime.ts";
import { allPanes } from "./topology.ts";
import { VERSION } from "./version.ts";
import { Cluster } from "./cluster/cluster.ts";
import { localCommands } from "./cluster/local-commands.ts";
import { LocalView } from "./cluster/local-view.ts";
import { qualify } from "./cluster/ids.ts";
import { FlightRecorder } from "./recorder/flight-recorder.ts";

export type { RequestHandler };

export interface PanecastApp {
  config: Config;
  httpServer: HttpServer;
  io: PanecastIo;
  runtime: TmuxRuntime;
  feed: ChangeFeed | null;
  tracker: PaneTracker;
  hub: Hub;
  documents: Documents;
  auth: Auth;
  awareness: Awareness;
  /** Panes waiting for input or failed, open and recently resolved (kept in the state directory). */
  needsYou: NeedsYouQueue;
  /** Cluster mode (`cluster.redis_url` set): this node's part; null otherwise. */
  cluster: Cluster | null;
  /** Alerts to people: webhooks and Web Push, after the grace and outside the quiet hours. */
  notifier: Notifier;
  /** Web Push (null: push.enabled is false). */
  push: Push | null;
  /** The flight recorder (null: recorder.enabled is false, or this node watches no tmux). */
  recorder: FlightRecorder | null;
  health: Health;
  /** With auth on and no token yet: the admin token made on this first start (shown once). */
  bootstrapToken: string | null;
  epoch: string;
  /** Listens on the configured host and port; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops watchers (control clients first), closes sockets and the HTTP server. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Serves every request that is not an API route (Next.js in production; a 404 when absent). */
  pages?: RequestHandler;
  /** The TLS agent Web Push deliveries use (tests trust their local push service through it). */
  pushAgent?: HttpsAgent;
}

/** Builds the whole server from a Config: tmux runtime, change feed, tracker, hub, Socket.IO, HTTP. */
export function createPanecast(config: Config, opts: AppOptions = {}): PanecastApp {
  const startedAt = Date.now();
  const epoch = randomBytes(6).toString("hex");
  const runtime = new TmuxRuntime(tmuxSocketOf(config), {
    timeoutMs: config.tmux.command_timeout_ms,
    channel: config.tmux.command_channel,
  });
  const feed = config.watch.mode === "push" ? new ChangeFeed(runtime, { sessions: config.tmux.sessions }) : null;
  const tracker = new PaneTracker(runtime, feed, {
    mode: config.watch.mode,
    sessions: config.tmux.sessions,
    userOptions: config.tmux.user_options,
    colors: config.capture.colors,
    frameIntervalMs: config.watch.frame_interval_ms,
    topologyRefreshMs: config.watch.topology_refresh_ms,
    poll: {
      baseIntervalMs: config.poll.base_interval_ms,
      maxIntervalMs: config.poll.max_interval_ms,
      noChangeThreshold: config.poll.no_change_threshold,
    },
    maxPanes: config.watch.max_panes,
  });

  const documents = new Documents(
    [
      ...config.dashboards.map((d) => ({ kind: "markdown" as const, name: d.name, path: d.path })),
      { kind: "history" as const, name: "history", path: config.history.path },
    ],
    new DocumentCache({
      maxFileBytes: config.docs.max_file_bytes,
      maxEntries: config.docs.cache_entries,
      maxBytes: config.docs.cache_max_bytes,
      forbidden: secretPaths(config),
      allowedRoots: config.docs.allowed_roots,
    }),
    { debounceMs: config.docs.debounce_ms, renderTimeoutMs: config.docs.render_timeout_ms, remoteImages: config.docs.allow_remote_images, root: process.cwd() },
  );

  const localTracker = config.tmux.enabled ? tracker : null;
  // What a client's held seqs belong to. In a cluster a pane's seqs are its node's and only grow, so
  // one name for the whole cluster: a client that resumes on any node gets deltas for what it holds.
  const paneEpoch = config.cluster.redis_url ? "cluster" : epoch;
  let hubRef: Hub | null = null;
  const cluster = config.cluster.redis_url ? new Cluster(config, localTracker, VERSION, () => hubRef?.clientCount ?? 0) : null;
  const auth = new Auth(config, cluster?.tokens, cluster?.signIns);
  cluster?.serve(localCommands({ node: cluster.node, runtime, tracker: localTracker, audit: auth.audit, historyLines: config.capture.history_lines }));
  // In a cluster the agent layer sees this node's panes with cluster ids (`alpha/%3`).
  const view = cluster ? new LocalView(tracker, cluster.node) : tracker;
  // The samplers' one view of the fan-out: who is connected, and which panes any of them may see.
  // In a cluster, clients of other nodes count too, and they may see every pane of this one.
  const audience: Audience = {
    clientCount: () => (hubRef?.clientCount ?? 0) + (cluster?.remoteClients() ?? 0),
    visiblePanes: () => {
      const hub = hubRef;
      const seen = new Set<string>();
      if (cluster && cluster.remoteClients() > 0) return null;
      if (!hub) return seen;
      for (const p of allPanes(view.topology)) if (hub.seenByAny(p.id)) seen.add(p.id);
      return seen;
    },
  };
  const awareness = new Awareness(view, config, epoch, audience);
  const needsYou = new NeedsYouQueue(view, awareness.monitor, new NeedsYouStore(statePath(config.data_dir, "needs-you.json")), { maxResolved: config.needs_you.max_resolved });
  const recorder =
    config.recorder.enabled && config.tmux.enabled
      ? new FlightRecorder(
          config,
          tracker,
          (pane) => awareness.monitor.status(cluster ? qualify(cluster.node, pane) : pane)?.state ?? "",
          awareness.monitor,
          (pane) => (cluster ? (pane.startsWith(`${cluster.node}/`) ? pane.slice(cluster.node.length + 1) : null) : pane),
        )
      : null;
  // A cluster's tokens are in Redis: the first admin token is made once they are read (in listen).
  let bootstrapToken = cluster ? null : auth.bootstrapAdmin();
  const principalOf = (id: string) => (auth.tokens ? auth.tokens.principalOf(id) : LOCAL_ADMIN);
  const push = createPush(config, principalOf, opts.pushAgent);
  const capabilities = new AnswerCapabilities();
  if (push) push.sender.actions = pushActionsFor(needsYou, capabilities, config.server.base_path);
  const notifier = new Notifier(awareness.monitor, push ? [awareness.webhooks, push.sender] : [awareness.webhooks], {
    graceMs: config.alerts.grace_ms,
    quietHours: config.alerts.quiet_hours,
  });
  // Node lifecycle alerts (a node went offline) reach people through the same grace and quiet hours.
  cluster?.on("alert", (a, stillDue) => notifier.notify(a, stillDue));
  cluster?.on("watchers", () => awareness.watchers(hubRef?.clientCount ?? 0));
  const topics = cluster ? cluster.topics(topicsOf(awareness, needsYou)) : topicsOf(awareness, needsYou);
  const recordings = { recorder, node: cluster?.node ?? null, pageLimit: config.recorder.page_limit, searchLimit: config.recorder.search_limit };
  const localSend = (req: Parameters<typeof sendToPane>[1]) => sendToPane(runtime, req);
  const localHistory = (pane: string, lines: number) => tracker.history(pane, lines);
  const sender: RealtimeDeps["sender"] = (req, caller) => (cluster ? cluster.send(req, caller, localSend) : localSend(req));
  const answer: RealtimeDeps["answer"] = (req, caller) =>
    answerPrompt({ queue: needsYou, capture: cluster ? null : async (pane) => (await runtime.read(["capture-pane", "-p", "-t", pane])).split("\n"), send: (r) => sender(r, caller), changes: needsYou, verifyTimeoutMs: config.needs_you.verify_timeout_ms }, req, caller.token);
  const localKeys = (pane: string, input: TerminalInput[]) => sendInput(runtime, pane, input);
  const keys: RealtimeDeps["keys"] = (pane, input, caller) => (cluster ? cluster.keys(pane, input, caller, localKeys) : localKeys(pane, input));
  const history: RealtimeDeps["history"] = (pane, lines, caller) => (cluster ? cluster.history(pane, lines, caller, localHistory) : localHistory(pane, lines));

  let metricsText: (() => Promise<{ type: string; body: string }>) | null = null;
  let server: HttpServer | null = null;
  const hosts = new HostPolicy(config, () => (server?.address() as AddressInfo | null)?.port ?? config.server.port);
  const health = new Health({ config, tracker, runtime, version: VERSION, startedAt, clientCount: () => hubRef?.clientCount ?? 0, cluster });
  const handler = createRequestHandler({
    hosts,
    health,
    metrics: () => (metricsText ? metricsText() : Promise.resolve(null)),
    config,
    tracker,
    runtime,
    documents,
    auth,
    awareness,
    version: VERSION,
    startedAt,
    clientCount: () => hubRef?.clientCount ?? 0,
    nodes: cluster ? () => cluster.nodes() : null,
    node: cluster?.node ?? null,
    sessions: (visible) => topics.sessions(visible),
    recorder,
    audit: auth.audit,
    push: push ? { publicKey: push.publicKey, store: push.store, allowedEndpoints: config.push.allowed_endpoints } : null,
    ...(opts.pages ? { pages: opts.pages } : {}),
    answerRoute: createAnswerRoute({
      caps: capabilities,
      queue: needsYou,
      principalOf,
      answer,
      audit: auth.audit,
      sends: new RateLimiter({ ratePerSecond: config.limits.sends_per_minute / 60, burst: Math.max(1, Math.ceil(config.limits.sends_per_minute / 6)) }),
    }),
  });
  const httpServer: HttpServer = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      const id = requestId();
      log.error({ err, requestId: id, method: req.method, url: req.url }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ error: { code: "INTERNAL", message: "internal error", requestId: id } }));
    });
  });

  server = httpServer;
  const realtime = createRealtime(httpServer, { config, tracker, documents, auth, awareness, sender, answer, keys, history, events: cluster?.events ?? awareness.events, recordings, version: VERSION, epoch: paneEpoch });
  // After Socket.IO attached its listeners, so the Host check runs before engine.io's as well.
  guardHosts(httpServer, hostCheck(config, hosts));
  const hub = new Hub(cluster ? cluster.source : tracker, topics, realtime.fanout, {
    maxBufferedPackets: config.hub.max_buffered_packets,
    maxUnackedBatches: config.hub.max_unacked_batches,
    replayPerPane: config.hub.replay_per_pane,
    frameMs: config.hub.frame_ms,
    epoch: paneEpoch,
  });
  cluster?.feed(hub, awareness);
  const unfeed = feedHub(hub, awareness, documents, config.events.sessions_debounce_ms, cluster?.events ?? awareness.events, needsYou);
  hubRef = hub;
  const registry = config.metrics.enabled ? createMetrics({ hub, tracker, runtime, awareness, notifier, push: push?.sender ?? null }) : null;
  if (registry) metricsText = async () => ({ type: registry.contentType, body: await registry.metrics() });
  let metricsServer: HttpServer | null = null;
  realtime.attach({ config, tracker, hub, documents, auth, awareness, sender, answer, keys, history, events: cluster?.events ?? awareness.events, recordings, version: VERSION, epoch: paneEpoch });

  let closed: Promise<void> | null = null;
  return {
    config,
    httpServer,
    io: realtime.io,
    runtime,
    feed,
    tracker,
    hub,
    documents,
    auth,
    awareness,
    needsYou,
    cluster,
    notifier,
    push,
    recorder,
    health,
    get bootstrapToken() {
      return bootstrapToken;
    },
    epoch,
    async listen() {
      auth.start();
      recorder?.start();
      if (config.tmux.enabled) await tracker.start();
      if (cluster) {
        await cluster.start({ waitMs: config.cluster.offline_after_ms });
        if (auth.enabled && (await cluster.claimBootstrap())) bootstrapToken = auth.bootstrapAdmin();
        await cluster.tokens.settled();
      }
      await documents.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(config.server.port, config.server.host, () => {
          httpServer.off("error", reject);
          resolve();
        });
      });
      if (registry && config.metrics.listen) {
        // A separate listener for Prometheus, without auth: bind it where only the scraper reaches.
        const at = config.metrics.listen.lastIndexOf(":");
        const metricsHost = config.metrics.listen.slice(0, at);
        metricsServer = createServer((req, res) => {
          if (req.url !== "/metrics") return void res.writeHead(404).end();
          void registry.metrics().then((body) => res.writeHead(200, { "content-type": registry.contentType }).end(body));
        });
        // Without auth, so DNS rebinding must not reach it either: only its own address (and the
        // configured hosts) as Host.
        const metricsHosts = new HostPolicy(config, () => (metricsServer?.address() as AddressInfo | null)?.port ?? 0, metricsHost);
        guardHosts(metricsServer, (req) => metricsHosts.allows(req.headers.host, false));
        await new Promise<void>((resolve, reject) => {
          metricsServer!.once("error", reject);
          metricsServer!.listen(Number(config.metrics.listen!.slice(at + 1)), config.metrics.listen!.slice(0, at).replace(/^\[|\]$/g, ""), () => resolve());
        });
      }
      const addr = httpServer.address() as AddressInfo;
      log.info({ url: `http://${addr.address}:${addr.port}`, watchMode: config.watch.mode, auth: auth.enabled }, "listening");
      const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
      return `http://${host}:${addr.port}${config.server.base_path}`;
    },
    close() {
      closed ??= (async () => {
        documents.stop();
        auth.stop();
        notifier.stop();
        push?.sender.stop();
        awareness.stop();
        needsYou.flush();
        unfeed();
        hub.stop();
        await cluster?.stop();
        await tracker.stop();
        await recorder?.stop();
        metricsServer?.close();
        await new Promise<void>((resolve) => {
          realtime.io.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await runtime.close();
        await auth.audit.flush();
      })();
      return closed;
    },
  };
}
