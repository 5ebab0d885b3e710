import { describe, expect, it } from "vitest";
import { addNotify, ForeignNotifyError, removeNotify } from "../../../lib/hooks/codex-toml.ts";
import { addHooks, removeHooks, type HookSpec, type Settings } from "../../../lib/hooks/settings-json.ts";

const ours = (c: string) => /panecast\.js hook claude/.test(c);
const spec = (command: string): HookSpec => ({ command, events: ["Stop", "PreToolUse"], toolEvents: ["PreToolUse"], extra: { timeout: 5 }, isOurs: ours });

describe("Claude Code / Gemini settings", () => {
  it("replaces an older install's command (another path) instead of adding a second", () => {
    const old = addHooks({}, spec("/old/bin/panecast.js hook claude --state /a")).settings;
    const r = addHooks(old, spec("/new/bin/panecast.js hook claude --state /a"));
    expect(r.changed).toBe(true);
    expect(JSON.stringify(r.settings)).not.toContain("/old/");
    expect((r.settings.hooks as Record<string, unknown[]>).Stop).toHaveLength(1);
  });
  it("drops its own entry from an event it no longer hooks, keeping other tools' hooks there", () => {
    const old: Settings = { hooks: { BeforeTool: [{ matcher: "*", hooks: [{ type: "command", command: "/x/bin/panecast.js hook claude --state /a" }] }, { hooks: [{ type: "command", command: "audit-tool" }] }] } };
    const r = addHooks(old, spec("node /x/bin/panecast.js hook claude --state /a"));
    expect(r.changed).toBe(true);
    expect((r.settings.hooks as Record<string, unknown>).BeforeTool).toEqual([{ hooks: [{ type: "command", command: "audit-tool" }] }]);
    const alone = addHooks({ hooks: { BeforeTool: [{ matcher: "*", hooks: [{ type: "command", command: "/x/bin/panecast.js hook claude --state /a" }] }] } }, spec("node /x/bin/panecast.js hook claude --state /a"));
    expect(Object.keys(alone.settings.hooks as object).sort()).toEqual(["PreToolUse", "Stop"]);
    expect(addHooks(alone.settings, spec("node /x/bin/panecast.js hook claude --state /a")).changed).toBe(false);
  });
  it("keeps a group it shares with another tool's hook, removing only its own", () => {
    const mixed = { hooks: { Stop: [{ hooks: [{ type: "command", command: "say done" }, { type: "command", command: "/x/bin/panecast.js hook claude --state /s" }] }] } };
    expect(removeHooks(mixed, ours).settings).toEqual({ hooks: { Stop: [{ hooks: [{ type: "command", command: "say done" }] }] } });
  });
  it("refuses a settings file whose hooks are not an object, rather than overwrite it", () => {
    expect(() => addHooks({ hooks: [] as never }, spec("/b/panecast.js hook claude"))).toThrow(/not an object/);
  });
});

describe("Codex config.toml", () => {
  const argv = ["/p/bin/panecast.js", "hook", "codex", "--state", '/s "q"'];
  const isOurs = (l: string) => /panecast\.js", "hook", "codex"/.test(l);
  it("adds a top-level notify to an empty file and removes it again", () => {
    const added = addNotify("", argv, isOurs);
    expect(added.text).toContain('notify = ["/p/bin/panecast.js", "hook", "codex", "--state", "/s \\"q\\""]');
    expect(addNotify(added.text, argv, isOurs).changed).toBe(false);
    expect(removeNotify(added.text, isOurs).text).toBe("");
  });
  it("does not count a notify inside a table as the top-level one", () => {
    const text = '[profiles.x]\nnotify = ["other"]\n';
    const r = addNotify(text, argv, isOurs);
    expect(r.text.indexOf("notify = [\"/p")).toBeLessThan(r.text.indexOf("[profiles.x]"));
    expect(removeNotify(r.text, isOurs).text).toBe(text);
  });
  it("leaves a foreign notify program alone", () => {
    expect(() => addNotify('notify = ["terminal-notifier"]\n', argv, isOurs)).toThrow(ForeignNotifyError);
  });
});
