/**
 * The shapes of ids and names on the wire, written once: request schemas, the cluster's messages,
 * tmux targets, settings and the command line all test against these. Only ids and plain names pass,
 * so nothing can smuggle a `;`, a `$(…)`, a path or a tmux format into a tmux argument.
 */

/** A node name (`cluster.node`, PANECAST_NODE); token and document names have the same shape. */
export const NODE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const NODE = "(?:[A-Za-z0-9_.-]{1,64}/)?";

/** tmux's own ids, as one node's tmux gives them. */
export const LOCAL_PANE_ID = /^%\d{1,7}$/;
export const LOCAL_WINDOW_ID = /^@\d{1,7}$/;
export const LOCAL_SESSION_ID = /^\$\d{1,7}$/;

/** Ids as clients see them: in a cluster they carry their node (`beta/%3`, `beta/@2`, `beta/$1`). */
export const PANE_ID = new RegExp(`^${NODE}%\\d{1,7}$`);
export const WINDOW_ID = new RegExp(`^${NODE}@\\d{1,7}$`);
/** A session by (node-qualified) id or by name. */
export const SESSION_REF = new RegExp(`^(${NODE}\\$\\d{1,7}|[A-Za-z0-9_][A-Za-z0-9_-]{0,63})$`);

/** A tmux session or window name panecast accepts. */
export const SESSION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;
/** A session name or a glob of them (`*`, `?`), as token scopes and settings write them. */
export const SESSION_GLOB = /^[A-Za-z0-9_*?-]{1,64}$/;

export const TOKEN_NAME = NODE_NAME;
export const DOCUMENT_NAME = NODE_NAME;
