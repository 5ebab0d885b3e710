// Boots panecast: validated config, Next.js and Socket.IO on one HTTP server, graceful shutdown.
// Everything it wires lives in lib/. Run it through `panecast start` (which builds the UI when needed).
import { ConfigError, loadConfig, type Config } from "./lib/config.ts";
import { announce, bootServer, installShutdown } from "./lib/boot.ts";

const argv = process.argv.slice(2);
let config: Config;
try {
  config = loadConfig({ argv });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`panecast: ${err.message}`);
  process.exit(2);
}
const { app, url } = await bootServer(config, { dev: argv.includes("--dev") });
installShutdown(app);
announce(app, url);
