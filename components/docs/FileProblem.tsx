import type { FileProblem as Problem } from "@/lib/protocol";

const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(n < 1024 * 1024 ? 2 : 1)} MB`;

/** The clear message for each bad-file case; the page stays live and recovers when the file does. */
export function FileProblem({ problem, path, what }: { problem: Problem | { state: "invalid"; message: string; line: number | null }; path: string; what: string }) {
  let title: string;
  let body: React.ReactNode;
  switch (problem.state) {
    case "missing":
      title = `No ${what} yet`;
      body = (
        <>
          <code className="text-fg">{path}</code> does not exist. This page shows it as soon as it is created.
        </>
      );
      break;
    case "too-large":
      title = `The ${what} is too large to show`;
      body = (
        <>
          <code className="text-fg">{path}</code> is {mb(problem.size)}, over the limit of {mb(problem.limit)} (
          <code>docs.max_file_bytes</code>). panecast did not read it.
        </>
      );
      break;
    case "binary":
      title = `The ${what} is not text`;
      body = (
        <>
          <code className="text-fg">{path}</code> is not valid UTF-8 text (binary data or another encoding).
        </>
      );
      break;
    case "unreadable":
      title = `The ${what} cannot be read`;
      body = (
        <>
          <code className="text-fg">{path}</code> exists but cannot be read (permissions, or not a regular file).
        </>
      );
      break;
    case "too-slow":
      title = `The ${what} took too long to render`;
      body = (
        <>
          Rendering <code className="text-fg">{path}</code> took longer than {problem.limitMs} ms (
          <code>docs.render_timeout_ms</code>), so panecast stopped. Simplify the file (very deep nesting is the usual cause); this
          page shows it again once it renders in time.
        </>
      );
      break;
    case "render-failed":
      title = `The ${what} cannot be rendered`;
      body = (
        <>
          The renderer gave up on <code className="text-fg">{path}</code> (usually nesting thousands of levels deep). This page
          shows it again once it renders.
        </>
      );
      break;
    case "invalid":
      title = `The ${what} is not valid YAML`;
      body = (
        <>
          <code className="text-fg">{path}</code>
          {problem.line !== null ? `, line ${problem.line}` : ""}: {problem.message}
        </>
      );
      break;
  }
  return (
    <div data-testid="doc-problem" data-state={problem.state} className="rounded-lg border border-edge bg-panel px-5 py-8 text-center">
      <p className="mb-2 text-sm font-semibold">{title}</p>
      <p className="text-sm text-muted">{body}</p>
    </div>
  );
}
