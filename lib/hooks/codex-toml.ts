/**
 * Codex's `notify` program in ~/.codex/config.toml: a top-level key (so it must come before the
 * first [table]) holding the program and its arguments; Codex appends the notification JSON
 * (agent-turn-complete) as the last argument. Codex runs one notify program, so a foreign one is
 * left alone and reported.
 */

const MARK = "# panecast: agent hook (panecast hooks uninstall codex removes these two lines)";

export class ForeignNotifyError extends Error {}

/** A TOML basic string. */
function tomlString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

export function notifyLine(argv: readonly string[]): string {
  return `notify = [${argv.map(tomlString).join(", ")}]`;
}

/** The top-level `notify = …` line's index, or -1 (keys after the first table belong to that table). */
function topLevelNotify(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (/^\[/.test(l)) return -1;
    if (/^notify\s*=/.test(l)) return i;
  }
  return -1;
}

export function addNotify(text: string, argv: readonly string[], isOurs: (line: string) => boolean): { text: string; changed: boolean } {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const want = notifyLine(argv);
  const at = topLevelNotify(lines);
  if (at !== -1) {
    if (lines[at] === want) return { text, changed: false };
    if (!isOurs(lines[at]!)) throw new ForeignNotifyError(`config.toml has a notify program already (${lines[at]!.trim().slice(0, 200)}); Codex runs only one`);
    lines[at] = want;
    return { text: `${lines.join("\n")}\n`, changed: true };
  }
  const firstTable = lines.findIndex((l) => /^\s*\[/.test(l));
  const insertAt = firstTable === -1 ? lines.length : firstTable;
  lines.splice(insertAt, 0, MARK, want, ...(firstTable === -1 ? [] : [""]));
  return { text: `${lines.join("\n")}\n`, changed: true };
}

export function removeNotify(text: string, isOurs: (line: string) => boolean): { text: string; changed: boolean } {
  const lines = text.replace(/\n$/, "").split("\n");
  const at = topLevelNotify(lines);
  if (at === -1 || !isOurs(lines[at]!)) return { text, changed: false };
  let start = at;
  let count = 1;
  if (at > 0 && lines[at - 1] === MARK) {
    start = at - 1;
    count = 2;
  }
  // The blank line install put before the first table goes with it.
  if (lines[start + count] === "" && /^\s*\[/.test(lines[start + count + 1] ?? "")) count++;
  lines.splice(start, count);
  return { text: lines.length === 0 ? "" : `${lines.join("\n")}\n`, changed: true };
}

/**
 * Turns on Codex's hooks engine (`[features] codex_hooks = true`), which reads hooks.json next to
 * config.toml. A value the person set (true or false) is left as it is.
 */
export function enableHooksFeature(text: string): { text: string; changed: boolean; off: boolean } {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const header = lines.findIndex((l) => /^\s*\[features\]\s*(#.*)?$/.test(l));
  if (header !== -1) {
    for (let i = header + 1; i < lines.length && !/^\s*\[/.test(lines[i]!); i++) {
      const m = /^\s*codex_hooks\s*=\s*(\w+)/.exec(lines[i]!);
      if (m) return { text, changed: false, off: m[1] !== "true" };
    }
    lines.splice(header + 1, 0, `codex_hooks = true ${FEATURE_MARK}`);
  } else {
    const dotted = lines.find((l) => /^\s*features\.codex_hooks\s*=/.test(l));
    if (dotted) return { text, changed: false, off: !/=\s*true\b/.test(dotted) };
    lines.push(...(lines.length > 0 ? [""] : []), `[features] ${FEATURE_MARK}`, `codex_hooks = true ${FEATURE_MARK}`);
  }
  return { text: `${lines.join("\n")}\n`, changed: true, off: false };
}

const FEATURE_MARK = "# added by panecast hooks install codex";

/** Takes back what enableHooksFeature added (marked lines only; a value the person set stays). */
export function removeHooksFeature(text: string): { text: string; changed: boolean } {
  const lines = text.replace(/\n$/, "").split("\n");
  const kept = lines.filter((l) => !l.endsWith(FEATURE_MARK));
  if (kept.length === lines.length) return { text, changed: false };
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === "") kept.pop();
  return { text: kept.length === 0 ? "" : `${kept.join("\n")}\n`, changed: true };
}
