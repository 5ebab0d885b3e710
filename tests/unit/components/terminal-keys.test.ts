import { describe, expect, it } from "vitest";
import { EXIT_CHORD, KeyOutbox, keyInput, type KeyLike } from "../../../components/terminal-keys.ts";
import type { TerminalInput } from "../../../lib/protocol.ts";
import { TERMINAL_KEY } from "../../../lib/protocol/messages.ts";

const k = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key, code: mods.code ?? "", ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });

describe("keyboard mode's keys", () => {
  it("names keys as tmux does, and every name passes the server's grammar", () => {
    const cases: Array<[KeyLike, TerminalInput | null]> = [
      [k("Tab", { shiftKey: true }), { key: "BTab" }],
      [k("F5"), { key: "F5" }],
      [k("F12", { ctrlKey: true }), { key: "C-F12" }],
      [k("PageUp"), { key: "PPage" }],
      [k("PageDown"), { key: "NPage" }],
      [k("Home"), { key: "Home" }],
      [k("End", { shiftKey: true }), { key: "S-End" }],
      [k("ArrowUp", { altKey: true }), { key: "M-Up" }],
      [k("Escape"), { key: "Escape" }],
      [k("Enter", { shiftKey: true }), { key: "Enter" }],
      [k("Backspace"), { key: "BSpace" }],
      [k("Delete"), { key: "DC" }],
      [k("r", { ctrlKey: true }), { key: "C-r" }],
      [k("R", { ctrlKey: true, shiftKey: true }), { key: "C-r" }],
      [k("x", { altKey: true }), { key: "M-x" }],
      // macOS Option+x composes ≈: the key's position says x.
      [k("≈", { altKey: true, code: "KeyX" }), { key: "M-x" }],
      [k(" ", { ctrlKey: true }), { key: "C-Space" }],
      [k("a"), { text: "a" }],
      [k("将"), { text: "将" }],
      [k("c", { metaKey: true }), null],
      [k("Shift", { shiftKey: true }), null],
      [k(";", { ctrlKey: true }), null],
    ];
    for (const [e, want] of cases) {
      const got = keyInput(e);
      expect(got, JSON.stringify(e)).toEqual(want);
      if (got && "key" in got) expect(TERMINAL_KEY.test(got.key), got.key).toBe(true);
    }
    expect(EXIT_CHORD.matches(k("]", { ctrlKey: true }))).toBe(true);
    expect(EXIT_CHORD.matches(k("Escape"))).toBe(false);
  });

  it("sends one message at a time, in order, merging typed characters, at most 64 steps each", async () => {
    const sent: TerminalInput[][] = [];
    let release: () => void = () => {};
    const outbox = new KeyOutbox(
      (input) =>
        new Promise((resolve) => {
          sent.push(input);
          release = () => resolve(null);
        }),
      () => {},
    );
    outbox.push({ key: "Up" });
    for (const ch of "hello") outbox.push({ text: ch });
    outbox.push({ key: "Enter" });
    for (let i = 0; i < 70; i++) outbox.push({ key: "Down" });
    expect(sent).toEqual([[{ key: "Up" }]]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent[1]).toEqual([{ text: "hello" }, { key: "Enter" }, ...Array.from({ length: 62 }, () => ({ key: "Down" }))]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent[2]).toHaveLength(8);
  });
});
