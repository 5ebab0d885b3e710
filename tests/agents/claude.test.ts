import { conformance } from "./conformance.ts";

conformance("claude");
