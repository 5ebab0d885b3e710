/**
 * Qwen Code's screen, from the recorded screens of 0.24.4 (tests/fixtures/agents/qwen-0.24.4), a
 * Gemini CLI fork. Working: "⠧ Consulting the digital spirits... (1s · esc to cancel)". Waiting: the
 * tool dialog ("Allow execution of: 'touch'?", "› 1. Yes, allow once", "4. No, suggest changes
 * (esc)", "⠏ Waiting for user confirmation..."), drawn in place of the input box. Idle: the box ">
 * Type your message or @path/to/file" (a placeholder) above a footer whose last line names the
 * approval mode ("⏸ Ask permissions (shift + tab to cycle)"); while it works the same line starts
 * "Enter to steer · Ctrl+Q to queue", and the spinner line says so. Errors: "✕ [API Error: 400 …]".
 */
export const QWEN_RULES = {
  waiting: ["allow execution", "yes, allow once", "no, suggest changes", "waiting for user confirmation", "\\[y/n\\]", "apply this change\\?", "do you want to proceed"],
  working: ["esc to cancel"],
  idle: ["type your message", "\\(shift \\+ tab to cycle\\)", "\\? for shortcuts"],
  error: ["^\\s*✕\\s", "\\[api error:"],
};
