import { randomBytes } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo, Server as NetServer } from "node:net";
import type { Agent as HttpsAgent } from "node:https";
import { statePath, tmuxSocketOf, type Config } from "./config.ts";
import { documentsOf } from "./dashboard/documents-of.ts";
import type { Documents } from "./dashboard/documents.ts";
import type { Audience } from "./agents/audience.ts";
import { Awareness } from "./agents/awareness.ts";
import { Auth } from "./auth/auth.ts";
import { LOCAL_ADMIN } from "./auth/principal.ts";
import { Notifier } from "./notify/notifier.ts";
import { mutedForEveryone } from "./notify/muted.ts";
import { createPush, type Push } from "./notify/push.ts";
import { createRequestHandler, type RequestHandler } from "./http/handler.ts";
import { guardHosts, hostCheck, hostPolicyOf } from "./http/host-guard.ts";
import { Health } from "./http/health.ts";
import { listenProxy, parseProxyListen } from "./http/proxy-listener.ts";
import { log, requestId } from "./log.ts";
import { createMetrics, listenMetrics, metricsText } from "./metrics.ts";
import { answerPrompt } from "./needs-you/answer.ts";
import { NeedsYouQueue } from "./needs-you/queue.ts";
import { AnswerCapabilities } from "./needs-you/capabilities.ts";
import { LoginLinks } from "./auth/login-links.ts";
import { pushActionsFor } from "./needs-you/push-actions.ts";
import { createAnswerRoute } from "./http/answer-route.ts";
import { RateLimiter } from "./auth/rate-limit.ts";
import { NeedsYouStore } from "./needs-you/store.ts";
import { feedHub } from "./hub/feeds.ts";
import { Hub } from "./hub/hub.ts";
import { CloseWatch } from "./panes/close-watch.ts";
import { PaneTracker } from "./panes/tracker.ts";
import { SocketTransport, createIo, fanoutOf, type PanecastIo } from "./realtime/io.ts";
import type { RealtimeDeps } from "./realtime/deps.ts";
import { ChangeFeed } from "./tmux/change-feed.ts";
import { TmuxRuntime } from "./tmux/runtime.ts";
import { allPanes } from "./topology.ts";
import { VERSION } from "./version.ts";
import type { Cluster } from "./cluster/cluster.ts";
import { nodeNameOf } from "./cluster/ids.ts";
import { createFleet } from "./fleet.ts";
import { HubClients } from "./hub/clients.ts";
import { NodeView, viewIdOf } from "./panes/node-view.ts";
import { FlightRecorder } from "./recorder/flight-recorder.ts";
import { remoteSearch } from "./recorder/access.ts";

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

/**
 * Builds the whole server from a Config, in the order data flows: tmux; the pane source (this node's
 * view, merged with the other nodes' in a cluster); the agents; the hub; the transport; HTTP.
 */
export function createPanecast(config: Config, opts: AppOptions = {}): PanecastApp {
  const startedAt = Date.now();
  const epoch = randomBytes(6).toString("hex");

  // 1. tmux: the runtime, the change feed (push mode) and the tracker of every pane's screen.
  const runtime = new TmuxRuntime(tmuxSocketOf(config), {
    timeoutMs: config.tmux.command_timeout_ms,
    channel: config.tmux.command_channel,
  });
  const feed = config.watch.mode === "push" ? new ChangeFeed(runtime, { sessions: config.tmux.sessions }) : null;
  // The hub's clients, made before the agents that ask who watches and before the tracker, which reads
  // the panes a client shows in its focused view at the frame pace; the hub alone fills it (step 4).
  const clients = new HubClients();
  const node = config.cluster.redis_url ? nodeNameOf(config.cluster.node) : null;
  const closeWatch = new CloseWatch((local) => clients.focused(viewIdOf(node, local)));
  const tracker = new PaneTracker(runtime, feed, {
    mode: config.watch.mode,
    sessions: config.tmux.sessions,
    userOptions: config.tmux.user_options,
    colors: config.capture.colors,
    frameIntervalMs: config.watch.frame_interval_ms,
    topologyRefreshMs: config.watch.topology_refresh_ms,
    busyIntervalMs: config.watch.busy_interval_ms,
    closeWatch,
    poll: {
      baseIntervalMs: config.poll.base_interval_ms,
      maxIntervalMs: config.poll.max_interval_ms,
      noChangeThreshold: config.poll.no_change_threshold,
    },
    maxPanes: config.watch.max_panes,
  });

  // 2. The pane source: the tracker wrapped once in this node's view (ids `alpha/%3` in a cluster),
  // then, in a cluster, merged with every other node's panes. Who may ask comes with it: a cluster's
  // tokens and sign-ins are shared through Redis.
  const view = new NodeView(tracker, node);
  // A pane focused now is read at the frame pace from its next output on: tmux must tell it again.
  clients.onFocus = (id) => {
    const local = view.localOf(id);
    if (local !== null) closeWatch.focusedNow(local);
  };
  const fleet = createFleet({ config, runtime, tracker, view, epoch, closeWatch }, () => clients.size);
  const auth = new Auth(config, fleet.tokens, fleet.signIns);

  // 3. The agents: states, alerts, resources, git and events of this node's panes (its view), the
  // needs-you queue, the flight recorder, and the notifier that tells people.
  const audience: Audience = {
    clientCount: () => clients.size + fleet.remoteClients(),
    // Clients of other nodes may see every pane of this one.
    visiblePanes: () => (fleet.remoteClients() > 0 ? null : clients.seen(allPanes(view.topology).map((p) => p.id))),
  };
  const awareness = new Awareness(view, config, epoch, audience);
  const needsYou = new NeedsYouQueue(view, awareness.monitor, new NeedsYouStore(statePath(config.data_dir, "needs-you.json")), { maxResolved: config.needs_you.max_resolved });
  // What the agents find, as far as the fleet reaches (in a cluster: written for the other nodes, and theirs read).
  const shared = fleet.agents({ awareness, needsYou });
  const recorder =
    config.recorder.enabled && config.tmux.enabled
      ? new FlightRecorder(config, tracker, (pane) => awareness.monitor.status(view.idOf(pane))?.state ?? "", awareness.monitor, (pane) => view.localOf(pane))
      : null;
  let bootstrapToken = fleet.firstAdmin(auth);
  const principalOf = (id: string) => (auth.tokens ? auth.tokens.principalOf(id) : LOCAL_ADMIN);
  const capabilities = new AnswerCapabilities(fleet.cluster ? { store: fleet.cluster.oneTime.answerCaps } : {});
  const push = createPush(config, principalOf, opts.pushAgent, fleet.cluster?.push ?? undefined, pushActionsFor(needsYou, capabilities, config.server.base_path));
  const notifier = new Notifier(awareness.monitor, push ? [awareness.webhooks, push.sender] : [awareness.webhooks], {
    graceMs: config.alerts.grace_ms,
    quietHours: config.alerts.quiet_hours,
    muted: mutedForEveryone(config.notify.mute, view, awareness.monitor),
    held: shared.held,
  });
  // This node's own items (cluster ids when clustered); another node's are answered on that node.
  const localAnswer: RealtimeDeps["answer"] = (req, caller) =>
    answerPrompt({ queue: needsYou, capture: fleet.capture, send: (r) => fleet.send(r, caller), changes: needsYou, verifyTimeoutMs: config.needs_you.verify_timeout_ms }, req, caller.token);
  const answer: RealtimeDeps["answer"] = (req, caller) => fleet.answer(req, caller, localAnswer);
  const recordings = { recorder, node: view.node, pageLimit: config.recorder.page_limit, searchLimit: config.recorder.search_limit, others: fleet.cluster };
  // What other nodes ask of this one's panes and recordings: taken from here on, never before it can run it.
  fleet.commandServer({ audit: auth.audit, answer: localAnswer, search: recorder ? remoteSearch(recordings, principalOf) : null });
  const documents = documentsOf(config);

  // 4. The hub: every push to clients leaves through it, out through Socket.IO's fanout.
  const io = createIo(config);
  const { topics, events } = shared;
  const hub = new Hub(fleet.source, topics, fanoutOf(io), {
    maxBufferedPackets: config.hub.max_buffered_packets,
    maxUnackedBatches: config.hub.max_unacked_batches,
    replayPerPane: config.hub.replay_per_pane,
    frameMs: config.hub.frame_ms,
    farIntervalMs: config.hub.far_interval_ms,
    epoch: fleet.paneEpoch,
  }, clients);
  const unfeed = feedHub(hub, { awareness, documents, sessionsDebounceMs: config.events.sessions_debounce_ms, events, needsYou, others: shared.others });

  // 5. The transport: Socket.IO's checks and handlers, registered once.
  const transport = new SocketTransport(io, { config, hub, documents, auth, awareness, sender: fleet.send, answer, keys: fleet.keys, history: fleet.history, events, recordings, version: VERSION, epoch: fleet.paneEpoch });

  // 6. HTTP: the API and the pages, with Socket.IO and the Host check in front on the same server.
  const registry = config.metrics.enabled ? createMetrics({ hub, tracker, runtime, awareness, notifier, push: push?.sender ?? null }) : null;
  const httpServer = createServer();
  const hosts = hostPolicyOf(config, httpServer);
  const health = new Health({ config, tracker, runtime, version: VERSION, startedAt, clientCount: () => hub.clientCount, cluster: fleet.cluster });
  const handler = createRequestHandler({
    hosts,
    health,
    metrics: registry ? metricsText(registry) : undefined,
    config,
    view,
    runtime,
    documents,
    auth,
    awareness,
    version: VERSION,
    startedAt,
    clientCount: () => hub.clientCount,
    nodes: fleet.nodes,
    sessions: (visible) => topics.sessions(visible),
    recorder,
    audit: auth.audit,
    push: push ? { vapid: push.vapid, store: push.store, allowedEndpoints: config.push.allowed_endpoints } : null,
    ...(opts.pages ? { pages: opts.pages } : {}),
    ...(fleet.cluster ? { links: new LoginLinks(fleet.cluster.oneTime.loginLinks) } : {}),
    answerRoute: createAnswerRoute({
      caps: capabilities,
      queue: { item: (pane) => shared.item(pane) },
      principalOf,
      answer,
      audit: auth.audit,
      sends: new RateLimiter({ ratePerSecond: config.limits.sends_per_minute / 60, burst: Math.max(1, Math.ceil(config.limits.sends_per_minute / 6)) }),
    }),
  });
  httpServer.on("request", (req, res) => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      const id = requestId();
      log.error({ err, requestId: id, method: req.method, url: req.url }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ error: { code: "INTERNAL", message: "internal error", requestId: id } }));
    });
  });
  transport.attach(httpServer, hosts);
  // After Socket.IO attached its listeners, so the Host check runs before engine.io's as well.
  guardHosts(httpServer, hostCheck(config, hosts));
  let metricsServer: HttpServer | null = null;
  let proxyServer: NetServer | null = null;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      documents.stop();
      auth.stop();
      notifier.stop();
      push?.sender.stop();
      awareness.stop();
      needsYou.flush();
      shared.stop();
      unfeed();
      hub.stop();
      await fleet.stop();
      await tracker.stop();
      await recorder?.stop();
      metricsServer?.close();
      proxyServer?.close();
      await new Promise<void>((resolve) => {
        transport.io.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await runtime.close();
      await auth.audit.flush();
    })();
    return closed;
  };

  return {
    config,
    httpServer,
    io: transport.io,
    runtime,
    feed,
    tracker,
    hub,
    documents,
    auth,
    awareness,
    needsYou,
    cluster: fleet.cluster,
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
      bootstrapToken = (await fleet.start(auth)) ?? bootstrapToken;
      await documents.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(config.server.port, config.server.host, () => {
          httpServer.off("error", reject);
          resolve();
        });
      });
      try {
        if (config.server.proxy_listen) proxyServer = await listenProxy(httpServer, parseProxyListen(config.server.proxy_listen), parseInt(config.server.proxy_socket_mode, 8));
        if (registry && config.metrics.listen) metricsServer = await listenMetrics(config, config.metrics.listen, registry);
      } catch (err) {
        // Nothing half started stays behind (the main port is already open).
        await close();
        throw err;
      }
      const addr = httpServer.address() as AddressInfo;
      log.info({ url: `http://${addr.address}:${addr.port}`, watchMode: config.watch.mode, auth: auth.enabled }, "listening");
      const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
      return `http://${host}:${addr.port}${config.server.base_path}`;
    },
    close,
  };
}
