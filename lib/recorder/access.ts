import { hasRole, sessionVisible, type Principal } from "../auth/principal.ts";
import type { Asker } from "../cluster/commands.ts";
import { qualify, splitId } from "../cluster/ids.ts";
import { PanecastError } from "../errors.ts";
import type { RecordingFramesRequest, RecordingFramesResult, SearchRequest, SearchResult } from "../protocol.ts";
import type { FlightRecorder } from "./flight-recorder.ts";

/** What every reader of recordings goes through: the socket request, the HTTP route and the CLI behind it. */
export interface RecordingAccess {
  recorder: FlightRecorder | null;
  /** This node's name in a cluster (recordings are kept by the node that watches the pane); null otherwise. */
  node: string | null;
  pageLimit: number;
  searchLimit: number;
  /** In a cluster: the other nodes' searches (each owning node applies the asker's limits). */
  others?: OtherNodes | null;
}

/** How a search reaches the other nodes of a cluster (lib/cluster/cluster.ts). */
export interface OtherNodes {
  searchOthers(req: SearchRequest, caller: Omit<Asker, "node">, only: ReadonlyMap<string, string[]> | null): Promise<{ results: SearchResult[]; unanswered: string[] }>;
}

/** A wire pane id as the recorder names it (`%3`); another node's pane is refused. */
export function localPane(a: RecordingAccess, pane: string): string {
  if (a.node === null) return pane;
  const s = splitId(pane);
  if (!s) return pane;
  if (s.node !== a.node) throw new PanecastError("NODE_UNAVAILABLE", `the recordings of ${pane} are kept by node ${s.node}: ask that node`);
  return s.local;
}

function wirePane(a: RecordingAccess, pane: string): string {
  return a.node === null ? pane : qualify(a.node, pane);
}

function recorderOf(a: RecordingAccess): FlightRecorder {
  if (!a.recorder) throw new PanecastError("RECORDING_OFF", "the flight recorder is off on this server (recorder.enabled)");
  return a.recorder;
}

/**
 * A page of a pane's recorded history. A pane in a session the asker may not see answers as if
 * nothing were recorded (its existence is not told).
 */
export async function recordingFrames(a: RecordingAccess, who: Principal, req: RecordingFramesRequest): Promise<RecordingFramesResult> {
  const fr = recorderOf(a);
  const pane = localPane(a, req.pane);
  const limit = Math.min(req.limit ?? a.pageLimit, a.pageLimit);
  const from = req.seq !== undefined ? { seq: req.seq } : { at: req.at ?? 0 };
  const page = await fr.steps(pane, from, limit, req.until);
  if (!page.meta || page.steps.length === 0 || !sessionVisible(who, page.meta.session)) {
    throw new PanecastError("RECORDING_NOT_FOUND", `nothing is recorded for ${req.pane} in that range`);
  }
  const outline = req.outline ? await fr.outline(pane, req.at ?? page.steps[0]!.at, req.until ?? Date.now(), a.pageLimit) : null;
  return { pane: req.pane, session: page.meta.session, agentType: page.meta.agent, steps: page.steps, next: page.next, ...(outline ? { outline } : {}) };
}

/**
 * Search, within the asker's sessions. In a cluster it goes to every live node at once (or, with
 * panes named, to the nodes that own them), and the hits merge newest first; nodes that did not
 * answer in time are named in `unanswered` instead of holding the answer back.
 */
export async function searchRecordings(a: RecordingAccess, who: Principal, req: SearchRequest): Promise<SearchResult> {
  const limit = Math.min(req.limit ?? a.searchLimit, a.searchLimit);
  if (!a.others || a.node === null) return searchHere(a, who, req, limit);
  const only = req.panes ? byNode(a.node, req.panes) : null;
  const mine = only?.get(a.node);
  const [here, there] = await Promise.all([
    a.recorder && (!only || mine) ? searchHere(a, who, { ...req, ...(mine ? { panes: mine } : {}) }, limit) : { hits: [] },
    a.others.searchOthers({ ...req, limit }, { token: who.tokenId, role: who.role }, only && new Map([...only].filter(([n]) => n !== a.node))),
  ]);
  // Each owner applied the limits; checked here again, so one node's fault cannot widen them.
  const hits = [here, ...there.results]
    .flatMap((r) => r.hits)
    .filter((h) => sessionVisible(who, h.session))
    .sort((x, y) => y.at - x.at)
    .slice(0, limit);
  return { hits, unanswered: there.unanswered };
}

/**
 * Another node's search of this node's recordings: the asker's token is looked up here (tokens are
 * shared through Redis) and its own role and session limits apply, not what the asking node says.
 */
export function remoteSearch(a: RecordingAccess, principalOf: (tokenId: string) => Principal | null): (req: SearchRequest, asker: Asker) => Promise<SearchResult> {
  return async (req, asker) => {
    const who = principalOf(asker.token);
    if (!who || (who.expiresAt !== null && who.expiresAt <= Date.now())) throw new PanecastError("UNAUTHORIZED", "the asking token is not valid here");
    if (!hasRole(who, "viewer")) throw new PanecastError("FORBIDDEN", "searching needs the viewer role");
    return searchHere(a, who, req, Math.min(req.limit ?? a.searchLimit, a.searchLimit));
  };
}

/** Named panes by the node that owns them (`%3` without a node is this node's). */
function byNode(self: string, panes: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of panes) {
    const node = splitId(p)?.node ?? self;
    const list = out.get(node);
    if (list) list.push(p);
    else out.set(node, [p]);
  }
  return out;
}

/** This node's recordings only. */
async function searchHere(a: RecordingAccess, who: Principal, req: SearchRequest, limit: number): Promise<SearchResult> {
  const fr = recorderOf(a);
  const panes = req.panes?.map((p) => localPane(a, p));
  const hits = await fr.search(
    req.text,
    {
      sessionVisible: (s) => sessionVisible(who, s),
      ...(panes ? { panes } : {}),
      ...(req.sessions ? { sessions: req.sessions } : {}),
      ...(req.agentTypes ? { agents: req.agentTypes } : {}),
      ...(req.states ? { states: req.states } : {}),
      ...(req.since !== undefined ? { since: req.since } : {}),
      ...(req.until !== undefined ? { until: req.until } : {}),
    },
    limit,
  );
  return {
    hits: hits.map((h) => ({ pane: wirePane(a, h.pane), session: h.session, agentType: h.agent, state: h.state, at: h.at, seq: h.seq, line: h.text, ...(h.context ? { context: h.context } : {}) })),
  };
}
