import { conformance } from "./conformance.ts";

// OpenCode has plugins (JavaScript) rather than command hooks: screen only. On the loaded test
// machine it drew each phase seconds after the fake model's turn (its first screen took over a
// minute), so the phases below read its previous state; the recorded run stopped at Esc, when the
// prompt typed for it did not show within 10 s.
// Every core phase is asserted. Where its last runs here went wrong (what clients got, and why):
//   stream: "idle (working → idle: the answer streamed before OpenCode drew it)"
//   "stream-done": "working (still drawing the answer)"
//   "approve-slow-asked": "working (the question drawn after the phase)"
//   "approve-slow-done": "working (still drawing the answer)"
//   It asked before `ls` although opencode.json allows it.
//   "auto-tool-done": "waiting-for-input (waiting-for-input)"
conformance("opencode");
