// Entry of the render worker thread: load the TypeScript loader, then the worker itself.
import { register } from "tsx/esm/api";

register();
await import("./render-worker.ts");
