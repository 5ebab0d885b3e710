import type { Topology } from "../protocol.ts";
import { captureArgs, capturePanes, chunkPanes, parseCapture, type CaptureOptions } from "./capture.ts";
import { classifyTmuxFailure } from "./errors.ts";
import type { TmuxReads } from "./runtime.ts";
import { allPanes } from "../topology.ts";
import { parseTopology, topologyFormat } from "./topology.ts";

export interface Snapshot {
  topology: Topology;
  frames: Map<string, string[] | null>;
}

/**
 * Topology and the screens of the given panes in ONE tmux process (`list-panes -a ; capture … ; …`).
 * Panes the topology shows but the caller did not know yet are captured in a second call, so a cold
 * snapshot costs two processes and a steady one costs one (more only past ~250 panes, see
 * MAX_COMMAND_BYTES).
 */
export async function readSnapshot(
  runtime: TmuxReads,
  knownPaneIds: readonly string[],
  userOptions: readonly string[],
  opts: CaptureOptions = {},
): Promise<Snapshot> {
  const args = ["list-panes", "-a", "-F", topologyFormat(userOptions)];
  const first = chunkPanes(knownPaneIds, opts, args.reduce((n, a) => n + a.length + 1, 0))[0] ?? [];
  if (first.length > 0) args.push(";", ...captureArgs(first, opts));
  const r = await runtime.raw(args);
  const markerAt = r.stdout.indexOf("\n\u001e");
  const topoText = markerAt === -1 ? r.stdout : r.stdout.slice(0, markerAt + 1);
  const topology = parseTopology(r.exitCode === 0 || markerAt !== -1 ? topoText : "", userOptions);
  if (r.exitCode !== 0 && markerAt === -1 && topology.sessions.length === 0) {
    throw classifyTmuxFailure(r.stderr, r.exitCode);
  }
  const frames = new Map<string, string[] | null>(markerAt === -1 ? [] : parseCapture(r.stdout.slice(markerAt + 1)));
  const live = new Set(allPanes(topology).map((p) => p.id));
  for (const id of knownPaneIds) if (!live.has(id)) frames.set(id, null);
  // Panes new to the caller, or left unread by a chain that stopped at a vanished pane: one more call.
  const retry = [...live].filter((id) => !frames.has(id));
  if (retry.length > 0) for (const [id, lines] of await capturePanes(runtime, retry, opts)) frames.set(id, lines);
  return { topology, frames };
}
