/**
 * How a client presents its access token to the websocket-service when access control is on.
 * Browsers cannot set Authorization on a WebSocket, so the token travels in the upgrade request:
 *
 *   Sec-WebSocket-Protocol: bearer, <token>     (preferred: never in URLs, so never in access logs)
 *   GET /ws?access_token=<token>                (for clients that cannot set subprotocols)
 *
 * With the header, the server selects the `bearer` subprotocol (never echoing the token). When both
 * are present, the header wins. The orders API takes `Authorization: Bearer <token>` as usual.
 */

/** The subprotocol that announces a token; the token is the next item of Sec-WebSocket-Protocol. */
export const BEARER_SUBPROTOCOL = 'bearer';

/** The upgrade URL's query parameter that may carry the token instead (RFC 6750 §2.3's name). */
export const ACCESS_TOKEN_QUERY_PARAMETER = 'access_token';
