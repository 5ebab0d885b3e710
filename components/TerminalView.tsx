"use client";

import "@xterm/xterm/css/xterm.css";
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";
import type { ITheme, Terminal } from "@xterm/xterm";
import type { SearchAddon } from "@xterm/addon-search";
import { cssColor } from "@/lib/ansi";
import type { PaneInfo, TerminalInput } from "@/lib/protocol";
import { useFleet } from "./fleet";
import { frameBytes, type Drawn } from "./terminal-frame";
import { EXIT_CHORD, keyInput } from "./terminal-keys";
import { FONT_PX, fontFor, type TerminalSize } from "./terminal-size";
import { revealCursor, scrollByTouch } from "./terminal-touch";

export interface TerminalHandle {
  /** Finds the next (or previous) match in the scrollback and screen; false when there is none. */
  find(query: string, backwards?: boolean): boolean;
  /** The selected text ("" when nothing is selected). */
  selection(): string;
  focus(): void;
}

const THEME: ITheme = {
  background: "#0b0e14",
  foreground: "#c5cbd3",
  cursor: "#c5cbd3",
  cursorAccent: "#0b0e14",
  selectionBackground: "#3b4a6b",
  ...Object.fromEntries(
    ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"].flatMap((name, i) => [
      [name, cssColor(i)],
      [`bright${name[0]!.toUpperCase()}${name.slice(1)}`, cssColor(i + 8)],
    ]),
  ),
};

/** C0 and C1 controls but newline and tab: a paste never carries them to the pane. */
const PASTE_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * The focused pane as a real terminal (xterm.js): drawn from the same frames and seqs as the grid
 * (the page's mirror), with tmux's scrollback above the screen, searchable and selectable. The
 * terminal is exactly the pane's size; its font shrinks until the pane's columns fit the width, down to
 * a readable size (`size` "readable": the box then scrolls sideways, opened at the cursor) or further
 * ("fit"). A vertical drag scrolls the box, then the scrollback. WebGL
 * draws it on a GPU, else (no WebGL, a software one, a lost context) xterm's DOM renderer. With `keyboard` on, every key press
 * goes to `onInput` as a tmux key or text, and a paste as a paste; `onExit` is the exit chord.
 */
/**
 * Whether WebGL runs on a GPU. A software rasterizer (SwiftShader, llvmpipe: a machine or a headless
 * browser without a GPU) draws WebGL on the CPU, slower than xterm's DOM renderer, which is used then.
 */
function gpuWebgl(): boolean {
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    if (!gl) return false;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return !/swiftshader|llvmpipe|softpipe|software/i.test(name);
  } catch {
    return false;
  }
}

export const TerminalView = forwardRef<TerminalHandle, {
  info: PaneInfo;
  keyboard: boolean;
  onInput: (step: TerminalInput) => void;
  onExit: () => void;
  onCopy: (text: string) => void;
  size: TerminalSize;
  /** Whether the pane's columns fit the width at the full font (the size choice matters only when not). */
  onFits?: (fits: boolean) => void;
}>(function TerminalView({ info, keyboard, onInput, onExit, onCopy, size, onFits }, ref) {
  const conn = useFleet();
  const host = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const refit = useRef<() => void>(() => {});
  const [fontPx, setFontPx] = useState<number | null>(null);
  const term = useRef<Terminal | null>(null);
  const search = useRef<SearchAddon | null>(null);
  const [renderer, setRenderer] = useState<"webgl" | "dom" | null>(null);
  const [loading, setLoading] = useState(true);
  // The handlers read the latest props without re-creating the terminal.
  const live = useRef({ keyboard, onInput, onExit, onCopy, size, onFits });
  live.current = { keyboard, onInput, onExit, onCopy, size, onFits };

  useImperativeHandle(ref, () => ({
    find: (q, backwards) => (q ? (backwards ? search.current?.findPrevious(q) : search.current?.findNext(q)) ?? false : false),
    selection: () => term.current?.getSelection() ?? "",
    focus: () => term.current?.focus(),
  }));

  useEffect(() => {
    const el = host.current;
    const scroller = box.current;
    if (!el || !scroller) return;
    let disposed = false;
    let cleanup: () => void = () => {};
    void (async () => {
      // xterm.js touches the DOM when loaded: only in the browser, only when a pane is focused.
      const [{ Terminal }, { FitAddon }, { SearchAddon }, { WebLinksAddon }, { Unicode11Addon }, { WebglAddon }, history] = await Promise.all([
        import("@xterm/xterm"),
        import("@xterm/addon-fit"),
        import("@xterm/addon-search"),
        import("@xterm/addon-web-links"),
        import("@xterm/addon-unicode11"),
        import("@xterm/addon-webgl"),
        conn.history(info.id).catch(() => [] as string[]),
      ]);
      if (disposed) return;
      const openLink = (_e: MouseEvent, uri: string) => {
        // Only http(s): a screen is no place to start javascript: or file: links from.
        if (/^https?:\/\//i.test(uri)) window.open(uri, "_blank", "noopener,noreferrer");
      };
      const t = new Terminal({
        cols: info.width,
        rows: info.height,
        scrollback: 10_000,
        fontFamily: '"panecast-mono", "panecast-technical", "panecast-symbols", monospace',
        fontSize: FONT_PX,
        theme: THEME,
        allowProposedApi: true,
        disableStdin: !live.current.keyboard,
        cursorBlink: false,
        linkHandler: { activate: openLink, allowNonHttpProtocols: false },
      });
      const fit = new FitAddon();
      const finder = new SearchAddon();
      t.loadAddon(fit);
      t.loadAddon(finder);
      t.loadAddon(new WebLinksAddon(openLink));
      t.loadAddon(new Unicode11Addon());
      t.unicode.activeVersion = "11";
      t.open(el);
      let kind: "webgl" | "dom" = "dom";
      if (gpuWebgl()) {
        try {
          const gl = new WebglAddon();
          // A lost context (GPU reset, too many contexts) falls back to the DOM renderer.
          gl.onContextLoss(() => {
            gl.dispose();
            setRenderer("dom");
          });
          t.loadAddon(gl);
          kind = "webgl";
        } catch {
          kind = "dom";
        }
      }
      setRenderer(kind);
      term.current = t;
      search.current = finder;

      // Fit the pane's columns to the width: the font shrinks (down to the size choice's floor), the
      // terminal keeps the pane's size.
      let dims = { cols: info.width, rows: info.height };
      const fitFont = (next = dims) => {
        dims = next;
        const { cols, rows } = next;
        t.options.fontSize = FONT_PX;
        const d = fit.proposeDimensions();
        const fitCols = d?.cols ?? cols;
        t.options.fontSize = fontFor(live.current.size, fitCols, cols);
        setFontPx(t.options.fontSize);
        live.current.onFits?.(fitCols >= cols);
        t.resize(cols, rows);
      };
      fitFont();
      refit.current = () => {
        fitFont();
        revealCursor(scroller, t);
      };
      const resized = new ResizeObserver(() => fitFont());
      resized.observe(el);

      let drawn: Drawn | null = null;
      let size = `${info.width}x${info.height}`;
      let pending = false;
      const draw = () => {
        pending = false;
        const p = conn.mirror.pane(info.id);
        if (!p) return;
        if (`${p.width}x${p.height}` !== size) {
          size = `${p.width}x${p.height}`;
          fitFont({ cols: p.width, rows: p.height });
          // Everything on screen is drawn again; the scrollback stays.
          drawn = { lines: [], scrolledTotal: p.scrolledTotal };
        }
        t.write(frameBytes(drawn, p, p.height, drawn ? [] : history));
        drawn = { lines: p.lines, scrolledTotal: p.scrolledTotal };
      };
      const schedule = () => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(draw);
      };
      const unsubscribe = conn.mirror.subscribePane(info.id, schedule);
      // xterm.js draws no cursor until its terminal was focused or typed into (isCursorInitialized);
      // leaving the alternate screen, where it never was (a no-op), counts too: tmux's cursor shows at once.
      t.write("\x1b[?1047l");
      draw();
      setLoading(false);
      // Opened where the pane is answered: once the first screen is parsed and laid out, and again
      // when the bundled font arrives (cells change width), unless the user has moved the box since.
      let moved = false;
      const onMove = () => {
        moved = true;
      };
      scroller.addEventListener("touchstart", onMove, { passive: true });
      scroller.addEventListener("wheel", onMove, { passive: true });
      const reveal = () => {
        if (!disposed && !moved) revealCursor(scroller, t);
      };
      t.write("", () => requestAnimationFrame(reveal));
      void document.fonts?.ready.then(() => requestAnimationFrame(reveal));
      const untouch = scrollByTouch(el, scroller, t);

      t.attachCustomKeyEventHandler((e) => {
        const { keyboard: on } = live.current;
        if (!on || e.type !== "keydown") return false;
        if (EXIT_CHORD.matches(e)) {
          e.preventDefault();
          live.current.onExit();
          return false;
        }
        // Copy stays with the browser's chord for it in a terminal (Ctrl+Shift+C).
        if (e.ctrlKey && e.shiftKey && e.code === "KeyC") {
          e.preventDefault();
          live.current.onCopy(t.getSelection());
          return false;
        }
        if (e.ctrlKey && e.shiftKey && e.code === "KeyV") return false;
        // Composition (IME, phone keyboards) is left to xterm; its text arrives through onData.
        if (e.isComposing || e.key === "Process" || e.key === "Unidentified") return true;
        const step = keyInput(e);
        if (!step) return false;
        e.preventDefault();
        live.current.onInput(step);
        return false;
      });
      const data = t.onData((d) => {
        // Only composed, printable text comes this way; every key went through the handler above.
        if (live.current.keyboard && !/[\u0000-\u001f\u007f-\u009f]/.test(d)) live.current.onInput({ text: d });
      });
      const onPaste = (e: ClipboardEvent) => {
        if (!live.current.keyboard) return;
        e.preventDefault();
        e.stopPropagation();
        const text = (e.clipboardData?.getData("text/plain") ?? "").replace(/\r\n?/g, "\n").replace(PASTE_CONTROLS, "");
        if (text) live.current.onInput({ paste: text.slice(0, 16_384) });
      };
      el.addEventListener("paste", onPaste, true);

      cleanup = () => {
        el.removeEventListener("paste", onPaste, true);
        untouch();
        scroller.removeEventListener("touchstart", onMove);
        scroller.removeEventListener("wheel", onMove);
        refit.current = () => {};
        data.dispose();
        resized.disconnect();
        unsubscribe();
        t.dispose();
        term.current = null;
        search.current = null;
      };
    })();
    return () => {
      disposed = true;
      cleanup();
    };
    // The terminal is made once per pane; size changes are followed inside.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conn, info.id]);

  useEffect(() => {
    const t = term.current;
    if (!t) return;
    t.options.disableStdin = !keyboard;
    if (keyboard) t.focus();
  }, [keyboard, renderer]);

  useEffect(() => refit.current(), [size]);

  return (
    // On a phone the box is the terminal's own colour to the input panel: no empty band under a short
    // pane. Its scrolling stays inside it (overscroll-contain), never the page's.
    <div ref={box} className="relative min-h-0 flex-1 overflow-auto overscroll-contain p-2 max-sm:bg-[#0b0e14] sm:p-4 peer-data-[rewound=true]:hidden" data-testid="focused-scroll">
      {loading && <p className="absolute left-4 top-2 text-xs text-muted">loading scrollback…</p>}
      <div ref={host} data-testid="focused-pane" data-pane-id={info.id} data-renderer={renderer ?? undefined} data-keyboard={keyboard} data-font-px={fontPx ?? undefined} className="focused-term" style={{ touchAction: "pan-x pinch-zoom" }} />
    </div>
  );
});
