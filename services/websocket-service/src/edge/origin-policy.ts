/**
 * Which Origins may open a WebSocket (WS_ALLOWED_ORIGINS). Pure.
 *
 * Browsers always send Origin on a WebSocket upgrade and let a page from any site open one, so the
 * allow-list is what stops another site's page from using a visitor's browser to read the stream
 * (cross-site WebSocket hijacking). Programs send any Origin they like, or none: for them the access
 * token is the control, not the Origin.
 *
 *   allow-list   │ Origin header          │ access control │ upgrade
 *   ─────────────┼────────────────────────┼────────────────┼───────────────────────────────
 *   unset        │ any, or none           │ either         │ allowed (token rules apply)
 *   set          │ listed                 │ either         │ allowed (token rules apply)
 *   set          │ not listed (or "null") │ either         │ 403 E_ORIGIN_NOT_ALLOWED
 *   set          │ none (not a browser)   │ on             │ allowed: the token must be valid
 *   set          │ none (not a browser)   │ off            │ 403: an allow-list with no token
 *                │                        │                │ behind it admits nobody unnamed
 */

/** Whether an upgrade with this Origin header (undefined when absent) may proceed. */
export function originAllowed(origin: string | undefined, allowedOrigins: readonly string[] | undefined, authOn: boolean): boolean {
  if (allowedOrigins === undefined) return true;
  if (origin === undefined) return authOn;
  return allowedOrigins.includes(origin.toLowerCase());
}
