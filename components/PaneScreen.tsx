import { Fragment } from "react";
import { stripAnsi } from "@/lib/ansi";
import { AnsiLine } from "./AnsiLine";

export type Severity = (plain: string) => "error" | "warning" | null;

/**
 * A pane's lines in a <pre>; its text content is the screen's text, lines joined by "\n". Lines that
 * match the error or warning patterns are highlighted.
 */
export function ScreenLines({ lines, severity }: { lines: readonly string[]; severity?: Severity }) {
  return (
    <>
      {lines.map((line, i) => {
        const sev = severity ? severity(stripAnsi(line)) : null;
        return (
          <Fragment key={i}>
            {i > 0 && "\n"}
            {sev ? (
              <span className={`sev-${sev}`} data-severity={sev}>
                <AnsiLine text={line} />
              </span>
            ) : (
              <AnsiLine text={line} />
            )}
          </Fragment>
        );
      })}
    </>
  );
}
