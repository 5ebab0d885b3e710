import type { Config } from "../config.ts";
import type { Documents } from "../dashboard/documents.ts";
import type { Hub } from "../hub/hub.ts";
import type { PaneTracker } from "../panes/tracker.ts";

/** What the realtime layer is handed: domain objects only, never tmux itself. */
export interface RealtimeDeps {
  config: Config;
  hub: Hub;
  tracker: PaneTracker;
  documents: Documents;
  version: string;
  epoch: string;
}
