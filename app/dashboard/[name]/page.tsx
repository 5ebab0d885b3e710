import { DocPage } from "@/components/docs/DocPage";
import { DOC_SHELL } from "@/lib/web/shell";

// One exported page serves every dashboard: the server sends it for each configured name (and 404
// for others), and the client reads the name from the address.
export const dynamicParams = false;
export function generateStaticParams(): Array<{ name: string }> {
  return [{ name: DOC_SHELL }];
}

export default function DashboardPage() {
  return <DocPage />;
}
