import { SLOT_ATTRIBUTE, type Slot } from "@/lib/web/shell";

/** Where the server puts this page's content for a browser without JavaScript (lib/web/shell.ts). */
export function NoScriptSlot({ name }: { name: Slot }) {
  return <noscript {...{ [SLOT_ATTRIBUTE]: name }} />;
}
