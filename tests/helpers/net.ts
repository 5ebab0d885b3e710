// The same helpers the CLI uses (lib/ports.ts): free ports for servers a test starts.
export { freePort, waitForPort } from "../../lib/ports.ts";
