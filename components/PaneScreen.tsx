import { memo, useMemo } from "react";
import { AnsiLine } from "./AnsiLine";
import { lineKeys } from "./line-keys";

export type Severity = (raw: string) => "error" | "warning" | null;

const Line = memo(function Line({ text, sev, last }: { text: string; sev: "error" | "warning" | null; last: boolean }) {
  return (
    <>
      {sev ? (
        <span className={`sev-${sev}`} data-severity={sev}>
          <AnsiLine text={text} />
        </span>
      ) : (
        <AnsiLine text={text} />
      )}
      {!last && "\n"}
    </>
  );
});

/**
 * A pane's lines in a <pre>; its text content is the screen's text, lines joined by "\n". Lines that
 * match the error or warning patterns are highlighted (the severity is cached per line by the caller).
 */
export function ScreenLines({ lines, severity }: { lines: readonly string[]; severity?: Severity }) {
  const keys = useMemo(() => lineKeys(lines), [lines]);
  return (
    <>
      {lines.map((line, i) => (
        <Line key={keys[i]} text={line} sev={severity ? severity(line) : null} last={i === lines.length - 1} />
      ))}
    </>
  );
}
