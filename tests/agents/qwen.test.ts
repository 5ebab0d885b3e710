import { conformance } from "./conformance.ts";

conformance("qwen", {});
