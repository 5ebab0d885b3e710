import { conformance } from "./conformance.ts";

// Qwen Code's hooks (settings.json "hooks", Claude-style events) are not installed by panecast yet:
// screen only.
// Every core phase is asserted. In its last runs here (`npm run bench:agents`, one CLI at a time, at a
// load average of 1–10) streaming, the permission questions, idle after each turn, Esc, the 400 and 401
// errors, typing and exit were right; what went wrong is Qwen Code's own behaviour:
//   429 and 529: it retries past the phase, first every second for about 14 s (its API client), then
//   once more after a back-off it counts down on screen ("✕ [API Error: 429 …] (Retrying in 47s…
//   (attempt 1/1))" above "… (27s · esc to cancel)"): it is still at work, and no error is final yet.
//   "error-429": "working (error → working, still retrying)"
//   "error-overloaded": "working (error → working, still retrying)"
//   It retries a 401 once (error → working → error): in some runs the retry still ran when the phase
//   ended, and the next prompt was queued behind it ("⏳ 1 queued").
//   "error-401": "working (error → working), in some runs"
conformance("qwen");
