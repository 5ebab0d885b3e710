import type { EventsSubscribeResult, PaneAnswerRequest, PaneAnswerResult, TerminalInput } from "../protocol.ts";
import type { Caller } from "../protocol/caller.ts";
import type { Awareness } from "../agents/awareness.ts";
import type { Auth } from "../auth/auth.ts";
import type { Config } from "../config.ts";
import type { Documents } from "../dashboard/documents.ts";
import type { Hub } from "../hub/hub.ts";
import type { SendRequest, SendResult } from "../panes/sender.ts";
import type { RecordingAccess } from "../recorder/access.ts";

/** What the realtime layer is handed: domain objects only, never tmux itself. */
export interface RealtimeDeps {
  config: Config;
  hub: Hub;
  documents: Documents;
  auth: Auth;
  awareness: Awareness;
  /** Types to a pane (lib/panes/sender): the realtime layer never runs tmux itself. */
  sender: (req: SendRequest, caller: Caller) => Promise<SendResult>;
  /** A one-tap answer to a needs-you item (lib/needs-you/answer), sent through `sender`. */
  answer: (req: PaneAnswerRequest, caller: Caller) => Promise<PaneAnswerResult>;
  /** Keyboard mode's input to a pane (lib/panes/keyboard); resolves to the steps sent. */
  keys: (pane: string, input: TerminalInput[], caller: Caller) => Promise<number>;
  /** Scrollback of a pane (in a cluster, read by the pane's node). */
  history: (pane: string, lines: number, caller: Caller) => Promise<string[]>;
  /** The event log `events:subscribe` replays from (in a cluster, the shared stream). */
  events: { since(id: string | undefined): EventsSubscribeResult | Promise<EventsSubscribeResult> };
  /** The flight recorder and its limits (recording:frames, search). */
  recordings: RecordingAccess;
  version: string;
  epoch: string;
}
