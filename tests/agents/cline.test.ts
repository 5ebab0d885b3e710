import { conformance } from "./conformance.ts";

// Cline's hooks (its own hook files) are not installed by panecast: screen only.
// Every core phase is asserted. Where its last runs here went wrong (what clients got, and why):
//   Its first screen ends working in most runs; the cause is not found yet.
//   start: "working (working → idle → working)"
//   Cline types a finished answer out on screen for a while (a spinner on its first line): in some
//   runs still drawing when the phase ends.
//   "stream-done": "working, in some runs"
//   "approve-slow-done": "working, in some runs"
//   Cline's TUI asks before every command when auto-approve is off (no per-command allow list), so
//   the allowed `ls` is a question; the next prompt is then typed while it is still up.
//   "auto-tool": "waiting-for-input (working → waiting-for-input)"
//   "auto-tool-done": "waiting-for-input (the question stays)"
//   "esc-streaming": "idle (the prompt went to the question left up)"
//   529: Cline backs off and retries past the phase ("Thinking… (esc to cancel)").
//   "error-overloaded": "working (working)"
conformance("cline");
