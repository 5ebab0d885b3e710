import { DocShell } from "@/components/docs/DocShell";
import { HistoryView } from "@/components/docs/HistoryView";

/** The server answers 404 instead of this page when no command history is configured. */
export default function HistoryPage() {
  return (
    <DocShell width="max-w-5xl" current="history">
      <HistoryView />
    </DocShell>
  );
}
