import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Config } from "./config.ts";
import { guardHosts } from "./http/host-guard.ts";
import { HostPolicy } from "./http/host-policy.ts";
import type { Awareness } from "./agents/awareness.ts";
import type { Hub } from "./hub/hub.ts";
import type { Notifier } from "./notify/notifier.ts";
import type { PushSender } from "./notify/push-sender.ts";
import type { PaneTracker } from "./panes/tracker.ts";
import type { TmuxRuntime } from "./tmux/runtime.ts";

/** How often the event-loop delay is sampled (ms): no finer than 1 s, so an idle server sleeps. */
export const EVENT_LOOP_PRECISION_MS = 1000;

export interface MetricsSources {
  hub: Hub;
  tracker: PaneTracker;
  runtime: TmuxRuntime;
  awareness: Awareness;
  notifier?: Notifier;
  push?: PushSender | null;
}

/**
 * Prometheus metrics, in a registry of this app's own (tests run several apps in one process).
 * Figures kept elsewhere (hub, tracker, runtime stats) are read when scraped.
 */
export function createMetrics(src: MetricsSources): Registry {
  const registry = new Registry();
  // prom-client samples event-loop delay every 10 ms by default: 100 wake-ups a second on an idle
  // server. Once a second is enough for a latency histogram scraped every 15 s or more.
  collectDefaultMetrics({ register: registry, prefix: "panecast_", eventLoopMonitoringPrecision: EVENT_LOOP_PRECISION_MS });
  const { hub, tracker, runtime, awareness } = src;

  new Gauge({ name: "panecast_clients_connected", help: "Socket.IO clients connected", registers: [registry], collect() {
    this.set(hub.clientCount);
  } });
  new Gauge({ name: "panecast_panes_tracked", help: "Panes whose screens are tracked", registers: [registry], collect() {
    this.set(tracker.topology.sessions.reduce((n, s) => n + s.windows.reduce((m, w) => m + w.panes.length, 0), 0));
  } });
  new Gauge({ name: "panecast_panes_held", help: "Panes printing at the busy pace whose output tmux holds back (read once per busy interval)", registers: [registry], collect() {
    this.set(tracker.stats.held);
  } });
  new Gauge({ name: "panecast_tmux_queue_depth", help: "tmux commands waiting in the runtime queue", registers: [registry], collect() {
    this.set(runtime.queueDepth);
  } });
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({ name, help, registers: [registry], collect() {
      this.reset();
      this.inc(read());
    } });
  counter("panecast_pane_updates_total", "Pane updates produced (changed screens)", () => tracker.stats.updates);
  counter("panecast_capture_bytes_total", "Bytes of screen text captured from tmux", () => tracker.stats.capturedBytes);
  counter("panecast_captures_total", "Batched capture calls", () => tracker.stats.captures);
  counter("panecast_frames_skipped_total", "Updates not sent to a client that was behind (it got the latest screen later)", () => hub.stats.skipped);
  counter("panecast_catchups_total", "Current screens sent to clients that caught up", () => hub.stats.catchUps);
  counter("panecast_tmux_commands_total", "tmux commands run", () => runtime.stats.commands);
  counter("panecast_tmux_failures_total", "tmux commands that failed", () => runtime.stats.failures);
  counter("panecast_git_processes_total", "git processes run to read work trees (none while nothing changes)", () => awareness.git.spawns);
  counter("panecast_resource_trees_total", "Pane process trees read from /proc (only panes a client can see)", () => awareness.resources.stats.trees);
  counter("panecast_webhook_deliveries_total", "Webhook alerts delivered", () => awareness.webhooks.stats.delivered);
  counter("panecast_webhook_failures_total", "Webhook alerts given up on", () => awareness.webhooks.stats.failed);
  const { notifier, push } = src;
  if (notifier) {
    counter("panecast_notifications_sent_total", "Alerts sent to people (webhooks, Web Push)", () => notifier.stats.sent);
    counter("panecast_notifications_resolved_in_grace_total", "Waits answered within alerts.grace_ms, not sent", () => notifier.stats.resolvedInGrace);
    counter("panecast_notifications_quiet_total", "Alerts held back in alerts.quiet_hours", () => notifier.stats.quiet);
  }
  if (push) {
    counter("panecast_push_deliveries_total", "Web Push messages accepted by push services", () => push.stats.delivered);
    counter("panecast_push_failures_total", "Web Push messages that failed", () => push.stats.failed);
    counter("panecast_push_gone_total", "Push subscriptions dropped because the push service said gone", () => push.stats.gone);
  }

  const events = new Counter({ name: "panecast_events_total", help: "Fleet events by type", labelNames: ["type"], registers: [registry] });
  awareness.events.on("event", (e) => events.inc({ type: e.type }));
  const latency = new Histogram({
    name: "panecast_tmux_command_seconds",
    help: "tmux command latency",
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  runtime.onCommand = (ms) => latency.observe(ms / 1000);
  return registry;
}

/** The registry as `GET /metrics` serves it on the main port (behind auth). */
export function metricsText(registry: Registry): () => Promise<{ type: string; body: string }> {
  return async () => ({ type: registry.contentType, body: await registry.metrics() });
}

/**
 * A separate listener for Prometheus (`metrics.listen`, "host:port"), without auth: bind it where
 * only the scraper reaches. Without auth, DNS rebinding must not reach it either: only its own
 * address (and the configured hosts) as Host.
 */
export async function listenMetrics(config: Config, listen: string, registry: Registry): Promise<HttpServer> {
  const at = listen.lastIndexOf(":");
  const host = listen.slice(0, at);
  const server = createServer((req, res) => {
    if (req.url !== "/metrics") return void res.writeHead(404).end();
    void registry.metrics().then((body) => res.writeHead(200, { "content-type": registry.contentType }).end(body));
  });
  const hosts = new HostPolicy(config, () => (server.address() as AddressInfo | null)?.port ?? 0, host);
  guardHosts(server, (req) => hosts.allows(req.headers.host, false));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(listen.slice(at + 1)), host.replace(/^\[|\]$/g, ""), () => resolve());
  });
  return server;
}
