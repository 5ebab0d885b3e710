import { Fragment } from "react";
import { AnsiLine } from "./AnsiLine";

/** A pane's lines in a <pre>; its text content is the screen's text, lines joined by "\n". */
export function ScreenLines({ lines }: { lines: readonly string[] }) {
  return (
    <>
      {lines.map((line, i) => (
        <Fragment key={i}>
          {i > 0 && "\n"}
          <AnsiLine text={line} />
        </Fragment>
      ))}
    </>
  );
}
