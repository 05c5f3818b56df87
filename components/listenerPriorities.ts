/**
 * Listener rule priorities that a listener shared with pull-request previews leaves to them: the environment's own
 * services use priorities below {@link PREVIEW_PRIORITY_BASE}; each pull request gets a block of ten from there, up
 * to the listener maximum of 50000.
 */
export const PREVIEW_PRIORITY_BASE = 10000;
export const PREVIEW_PRIORITY_SLOTS = 40000;
