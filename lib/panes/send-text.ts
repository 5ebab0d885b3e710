/**
 * What `pane:send` may type as text, and how to hand text to tmux so it arrives exactly as given.
 * Text is only ever printable: a control character in it would act as a key the allow-list never saw
 * (`\x03` interrupts, `\r` runs the line without `enter`, `ESC[201~` ends a bracketed paste early so
 * the lines after it run). Keys go through `keys`, one allowed name at a time.
 */

/** C0 controls (ESC included), DEL and C1 controls, except newline and tab (checked separately). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * Why `text` may not be typed, or null when it may. Newlines and tabs are allowed only in multi-line
 * text, which goes to the pane as one bracketed paste; in one line a tab would complete and a newline
 * would run. A Windows line ending (`\r\n`) is accepted as a newline.
 */
export function textProblem(text: string): string | null {
  const t = text.replace(/\r\n/g, "\n");
  const bad = CONTROL.exec(t);
  if (bad) return `control character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} in text: send keys with \`keys\``;
  if (!t.includes("\n") && t.includes("\t")) return "a tab in one line of text would act as a key: send it with `keys: [\"Tab\"]`";
  return null;
}

/** The text to type: Windows line endings as newlines (textProblem has accepted it). */
export function normalizeText(text: string): string {
  return text.replace(/\r\n/g, "\n");
}

/**
 * An argument for tmux that tmux takes as it is. tmux reads an argument ending in `;` as the end of a
 * command (`tmux cmd1 \; cmd2` from a shell) and drops that `;`, and `\;` at the end as a literal `;`.
 * One more `;` restores the text: tmux strips it and ends the command, leaving exactly the original,
 * whether that ended in `;` or in `\;` (seen on tmux 3.3a; tests/integration/send.test.ts checks it
 * on a real pane).
 */
export function tmuxLiteral(arg: string): string {
  return arg.endsWith(";") ? `${arg};` : arg;
}
