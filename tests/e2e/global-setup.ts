import { ensureBuild } from "../../lib/web/build.ts";

/** Build the production UI once, before any test starts a server. */
export default async function globalSetup(): Promise<void> {
  await ensureBuild("");
}
