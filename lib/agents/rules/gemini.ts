/**
 * Gemini CLI's screen, from the recorded screens of 0.61.0 (tests/fixtures/agents/gemini-0.61.0).
 * Working: "⠧ Thinking... (esc to cancel, 1s)". Waiting: the tool dialog ("Allow execution of
 * [Shell]?", "● 1. Allow once", "3. No, suggest changes (esc)"). Idle: the box "> Type your message
 * or @path/to/file" (a placeholder) and "? for shortcuts". Errors: "✕ [API Error: {…}]" followed by
 * "ℹ This request failed. Press F12 for diagnostics…".
 */
export const GEMINI_RULES = {
  waiting: ["allow execution", "\\b1\\. allow once", "no, suggest changes", "waiting for user confirmation", "\\[y/n\\]", "apply this change\\?"],
  working: ["esc to cancel"],
  idle: ["type your message", "\\? for shortcuts"],
  error: ["^\\s*✕\\s", "\\[api error:", "this request failed"],
};
