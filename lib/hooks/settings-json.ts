/**
 * Hook entries in a Claude Code or Gemini CLI settings file (both read the same shape):
 * `hooks → <event> → [{ matcher?, hooks: [{ type: "command", command, … }] }]`. panecast adds one
 * group per event holding its own command, and touches nothing else: other keys, other tools'
 * hooks and their order stay as they were.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Settings = { [k: string]: Json };

export interface HookSpec {
  /** The command line the agent runs (through its shell). */
  command: string;
  events: readonly string[];
  /** Events whose matcher filters tools: they get "*" (all tools); the rest get no matcher. */
  toolEvents: readonly string[];
  /** Extra fields of the hook object (a timeout, Gemini's name). */
  extra: Record<string, Json>;
  /** Whether a command is panecast's own (this install's or an older one's). */
  isOurs: (command: string) => boolean;
}

const isObject = (v: unknown): v is { [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

/** The settings with panecast's hooks in place, and whether anything had to change. */
export function addHooks(settings: Settings, spec: HookSpec): { settings: Settings; changed: boolean } {
  const out = structuredClone(settings);
  if (out.hooks !== undefined && !isObject(out.hooks)) throw new Error("the settings' \"hooks\" is not an object");
  const hooks = (out.hooks ??= {}) as { [k: string]: Json };
  let changed = settings.hooks === undefined;
  for (const event of spec.events) {
    const groups = hooks[event];
    if (groups !== undefined && !Array.isArray(groups)) throw new Error(`the settings' hooks.${event} is not a list`);
    const list = (groups ?? []) as Json[];
    const current = list.some((g) => isObject(g) && Array.isArray(g.hooks) && g.hooks.some((h) => isObject(h) && h.command === spec.command));
    if (current) {
      // Ours already, and the same command: nothing to do (but an older install's stale copy goes).
      const pruned = prune(list, (c) => spec.isOurs(c) && c !== spec.command);
      if (pruned.length !== list.length || JSON.stringify(pruned) !== JSON.stringify(list)) changed = true;
      hooks[event] = pruned;
      continue;
    }
    const group: { [k: string]: Json } = {
      ...(spec.toolEvents.includes(event) ? { matcher: "*" } : {}),
      hooks: [{ type: "command", command: spec.command, ...spec.extra }],
    };
    hooks[event] = [...prune(list, spec.isOurs), group];
    changed = true;
  }
  // An event panecast no longer hooks (Gemini CLI's BeforeTool) loses an older install's entry.
  for (const [event, groups] of Object.entries(hooks)) {
    if (spec.events.includes(event) || !Array.isArray(groups)) continue;
    const pruned = prune(groups, spec.isOurs);
    if (pruned.length === groups.length && JSON.stringify(pruned) === JSON.stringify(groups)) continue;
    if (pruned.length === 0) delete hooks[event];
    else hooks[event] = pruned;
    changed = true;
  }
  return { settings: out, changed };
}

/** The settings without panecast's hooks; emptied groups and events go, and an emptied "hooks". */
export function removeHooks(settings: Settings, isOurs: (command: string) => boolean): { settings: Settings; changed: boolean } {
  if (!isObject(settings.hooks)) return { settings, changed: false };
  const out = structuredClone(settings);
  const hooks = out.hooks as { [k: string]: Json };
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    const pruned = prune(groups, isOurs);
    if (pruned.length === 0) delete hooks[event];
    else hooks[event] = pruned;
  }
  if (Object.keys(hooks).length === 0) delete out.hooks;
  const changed = JSON.stringify(out) !== JSON.stringify(settings);
  return { settings: changed ? out : settings, changed };
}

/** Groups without the hooks `drop` names; a group left with no hooks goes. */
function prune(groups: Json[], drop: (command: string) => boolean): Json[] {
  const out: Json[] = [];
  for (const g of groups) {
    if (!isObject(g) || !Array.isArray(g.hooks)) {
      out.push(g);
      continue;
    }
    const kept = g.hooks.filter((h) => !(isObject(h) && typeof h.command === "string" && drop(h.command)));
    if (kept.length === g.hooks.length) out.push(g);
    else if (kept.length > 0) out.push({ ...g, hooks: kept });
  }
  return out;
}
