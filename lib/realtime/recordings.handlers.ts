import { recordingFrames, searchRecordings } from "../recorder/access.ts";
import type { RealtimeDeps } from "./deps.ts";
import { handle, requireRole } from "./handle.ts";
import { RecordingFramesSchema, SearchSchema } from "../protocol/messages.ts";
import type { PanecastSocket } from "./types.ts";

/** `recording:frames` and `search`: the viewer role and the token's sessions, as everywhere. */
export function registerRecordingHandlers(socket: PanecastSocket, deps: RealtimeDeps): void {
  handle(socket, "recording:frames", RecordingFramesSchema, (req) => recordingFrames(deps.recordings, requireRole(socket, "viewer"), req));
  handle(socket, "search", SearchSchema, (req) => searchRecordings(deps.recordings, requireRole(socket, "viewer"), req));
}
