import type { ServerResponse } from "node:http";
import type { AuditLog } from "../auth/audit.ts";
import { hasRole, type Principal } from "../auth/principal.ts";
import { PanecastError, toWireError } from "../errors.ts";
import type { SearchRequest } from "../protocol.ts";
import { recordingFrames, searchRecordings, type RecordingAccess } from "../recorder/access.ts";
import { toAsciicast } from "../recorder/asciicast.ts";
import { parseWhen } from "../recorder/when.ts";
import { RecordingFramesSchema, SearchSchema, describeIssue } from "../protocol/messages.ts";
import { send } from "./respond.ts";

const STATUS: Partial<Record<string, number>> = { BAD_REQUEST: 400, FORBIDDEN: 403, RECORDING_NOT_FOUND: 404, RECORDING_OFF: 404, NODE_UNAVAILABLE: 502 };

/**
 * `GET /api/recordings/:pane?since=&until=&format=cast|json` (an asciicast v2 file, or the steps as
 * `recording:frames` answers them) and `GET /api/search?q=&pane=&session=&agent=&state=&since=&until=&limit=`.
 * Viewer role, session limits; every export is audited.
 */
export async function handleRecordingRoute(route: string, url: URL, res: ServerResponse, access: RecordingAccess, audit: AuditLog, p: Principal): Promise<void> {
  try {
    if (!hasRole(p, "viewer")) throw new PanecastError("FORBIDDEN", "recordings need the viewer role");
    if (route === "/api/search") {
      const q = url.searchParams;
      const many = (k: string) => (q.getAll(k).flatMap((v) => v.split(",")).filter(Boolean).length > 0 ? q.getAll(k).flatMap((v) => v.split(",")).filter(Boolean) : undefined);
      const raw: Record<string, unknown> = { text: q.get("q") ?? "", panes: many("pane"), sessions: many("session"), agentTypes: many("agent"), states: many("state"), since: when(q.get("since"), "since"), until: when(q.get("until"), "until"), limit: q.has("limit") ? Number(q.get("limit")) : undefined };
      const parsed = SearchSchema.safeParse(dropUndefined(raw));
      if (!parsed.success) throw new PanecastError("BAD_REQUEST", describeIssue(parsed.error));
      send(res, 200, await searchRecordings(access, p, parsed.data as SearchRequest));
      return;
    }
    const pane = safeDecode(route.slice("/api/recordings/".length));
    const q = url.searchParams;
    const format = q.get("format") ?? "cast";
    if (format !== "cast" && format !== "json") throw new PanecastError("BAD_REQUEST", "format: cast or json");
    const parsed = RecordingFramesSchema.safeParse(dropUndefined({ pane, at: when(q.get("since"), "since") ?? 0, until: when(q.get("until"), "until") }));
    if (!parsed.success) throw new PanecastError("BAD_REQUEST", describeIssue(parsed.error));
    const page = await recordingFrames(access, p, parsed.data);
    const body = format === "cast" ? toAsciicast(page.steps, `${page.session} ${pane} (${page.agentType})`) : JSON.stringify(page);
    audit.write({ event: "recording.export", token: p.name, role: p.role, target: pane, bytes: Buffer.byteLength(body), detail: `${format} ${q.get("since") ?? "start"}..${q.get("until") ?? "now"}${page.next ? " (truncated)" : ""}` });
    res.writeHead(200, {
      "content-type": format === "cast" ? "application/x-asciicast; charset=utf-8" : "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...(format === "cast" ? { "content-disposition": `attachment; filename="pane-${pane.replace(/[^A-Za-z0-9_.-]/g, "_")}.cast"` } : {}),
    });
    res.end(body);
  } catch (err) {
    const e = toWireError(err);
    send(res, STATUS[e.code] ?? 500, { error: e });
  }
}

function when(v: string | null, key: string): number | undefined {
  if (v === null || v === "") return undefined;
  const t = parseWhen(v);
  if (t === null) throw new PanecastError("BAD_REQUEST", `${key}: a duration back from now (10m, 2h, 1d), an ISO 8601 time or ms since the epoch`);
  return Math.max(0, t);
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new PanecastError("BAD_REQUEST", "pane: a pane id such as %3");
  }
}
