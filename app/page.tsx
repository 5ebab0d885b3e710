import { Dashboard } from "@/components/Dashboard";
import { listDocs } from "@/lib/web/context";

export const dynamic = "force-dynamic";

export default function Page() {
  return <Dashboard docs={listDocs()} />;
}
