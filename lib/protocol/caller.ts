import type { Role } from "../protocol.ts";

/** Who asks for a send, keys, an answer or a history read: the node that runs it audits it. */
export interface Caller {
  token: string;
  role: Role;
}
