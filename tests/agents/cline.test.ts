import { conformance } from "./conformance.ts";

conformance("cline", {});
