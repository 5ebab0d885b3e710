import type { AlertKind, PaneAlert, WebhookFormat } from "../protocol.ts";

export interface FormatOptions {
  format: WebhookFormat;
  template?: string | undefined;
  /** The dashboard's public address (server.public_url), for the link to the pane; null: no link. */
  publicUrl: string | null;
}

export interface FormattedRequest {
  headers: Record<string, string>;
  body: string;
}

const STATE_WORDS: Record<AlertKind, string> = {
  "waiting-for-input": "waiting for input",
  error: "error",
  exited: "exited",
  critical: "critical output",
  "node-offline": "node offline",
};

/** The link that opens the dashboard focused on the alert's pane, or "" without server.public_url. */
export function paneUrl(publicUrl: string | null, pane: string): string {
  return publicUrl ? `${publicUrl.replace(/\/$/, "")}/?pane=${encodeURIComponent(pane)}` : "";
}

export function agentName(a: PaneAlert): string {
  return a.agentId ?? `${a.session}:${a.window} (${a.pane})`;
}

/**
 * An alert as the receiving service wants it. Slack takes `{text}` in its mrkdwn, Discord
 * `{content}` (mentions switched off: a screen line must not ping @everyone), ntfy a plain-text
 * body with Title/Priority/Tags headers, `template` the configured body with placeholders filled
 * (JSON-escaped when the template is JSON), `generic` today's JSON.
 */
export function formatWebhook(alert: PaneAlert, opts: FormatOptions): FormattedRequest {
  const agent = agentName(alert);
  const state = STATE_WORDS[alert.kind];
  const url = paneUrl(opts.publicUrl, alert.pane);
  const line = alert.line ?? "";
  switch (opts.format) {
    case "generic":
      return json({ type: "pane.alert", ...alert, ...(url ? { url } : {}) });
    case "slack": {
      const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      const parts = [`*${esc(agent)}*: ${esc(state)}`, ...(line ? [`> ${esc(line)}`] : []), ...(url ? [`<${url}|Open the pane>`] : [])];
      return json({ text: parts.join("\n") });
    }
    case "discord": {
      const parts = [`**${agent}**: ${state}`, ...(line ? [`> ${line}`] : []), ...(url ? [url] : [])];
      return json({ content: parts.join("\n").slice(0, 2000), allowed_mentions: { parse: [] } });
    }
    case "ntfy": {
      const headers: Record<string, string> = {
        "content-type": "text/plain; charset=utf-8",
        title: headerSafe(`panecast: ${agent} ${state}`),
        priority: alert.kind === "exited" ? "default" : "high",
        tags: alert.kind === "waiting-for-input" ? "bell,panecast" : alert.kind === "exited" ? "stop_sign,panecast" : "warning,panecast",
      };
      if (url) headers.click = url;
      return { headers, body: [alert.message, ...(line && line !== alert.message ? [line] : [])].join("\n") };
    }
    case "template": {
      const template = opts.template ?? "";
      const isJson = /^\s*[{[]/.test(template);
      const values: Record<string, string> = { agent, state, line, url, message: alert.message, session: alert.session, pane: alert.pane, kind: alert.kind };
      const body = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => {
        const v = values[k];
        if (v === undefined) return m;
        return isJson ? JSON.stringify(v).slice(1, -1) : v;
      });
      return { headers: { "content-type": isJson ? "application/json" : "text/plain; charset=utf-8" }, body };
    }
  }
}

function json(body: unknown): FormattedRequest {
  return { headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** Header values are Latin-1 without line breaks: anything else is dropped, and the value bounded. */
function headerSafe(s: string): string {
  return s.replace(/[^\x20-\x7e\xa0-\xff]/g, "").slice(0, 250);
}
