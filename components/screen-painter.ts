import { lineKeys } from "./line-keys";
import { lineRow, type Severity } from "./line-dom";

interface Row {
  el: HTMLElement;
  severity: Severity;
}

/**
 * Paints a screen's lines into an element as one row per line, reusing the rows of lines it already
 * shows (keyed by line identity, so a scrolling screen removes the top row and adds one at the bottom)
 * and touching nothing else: per update the browser styles, lays out and paints the new rows only.
 * The element's children belong to the painter alone.
 */
export class ScreenPainter {
  private rows = new Map<string, Row>();
  private lines: readonly string[] | null = null;
  private severity: ((raw: string) => Severity) | undefined;

  constructor(private readonly el: HTMLElement) {}

  /**
   * Shows `lines`, highlighted by `severity`. A new `severity` (the patterns changed) is asked again
   * about every line, and only rows whose highlighting changed are built again.
   */
  paint(lines: readonly string[], severity?: (raw: string) => Severity): void {
    const recheck = severity !== this.severity;
    if (lines === this.lines && !recheck) return;
    this.severity = severity;
    this.lines = lines;
    const keys = lineKeys(lines);
    const next = new Map<string, Row>();
    for (let i = 0; i < lines.length; i++) {
      const old = this.rows.get(keys[i]!);
      const sev = old && !recheck ? old.severity : severity ? severity(lines[i]!) : null;
      next.set(keys[i]!, old && old.severity === sev ? old : { el: lineRow(lines[i]!, sev), severity: sev });
    }
    for (const [k, row] of this.rows) if (next.get(k) !== row) row.el.remove();
    let at = this.el.firstChild;
    for (const { el } of next.values()) {
      if (at === el) at = at.nextSibling;
      else this.el.insertBefore(el, at);
    }
    this.rows = next;
  }

  clear(): void {
    this.el.replaceChildren();
    this.rows.clear();
    this.lines = null;
  }
}
