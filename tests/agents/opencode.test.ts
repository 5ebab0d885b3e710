import { conformance } from "./conformance.ts";

// OpenCode has plugins (JavaScript) rather than command hooks: screen only.
// Every core phase is asserted. In its last runs here (`npm run bench:agents`, one CLI at a time, at a
// load average of 1–10) streaming, the permission questions, the allowed tool, idle after each turn,
// Esc, typing and exit were right. What went wrong:
//   Its errors are drawn as a message with a red border and no marker in their text; the turn's last
//   line, "▣  Build · GPT fake", only lacks the duration an answer ends with. Read as an error, that
//   line also ends a retry cancelled with Esc, and the error would hold over text typed below it
//   (OpenCode's input box is not told from its history by text), so it is not read: the screen alone
//   cannot tell the error, and clients keep idle.
//   "error-401": "idle (working → idle)"
//   529: it backs off and retries past the phase ("Provider is overloaded [retrying in 19s attempt #4]").
//   "error-overloaded": "working (working)"
// On a machine at a load average of 30–40 it drew each phase seconds after the fake model's turn
// (its first screen took over a minute), so phases read its previous state.
conformance("opencode");
