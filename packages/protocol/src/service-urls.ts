/** Where the websocket-service answers: its socket and its readiness, on one host. */

/** The path of the service's WebSocket endpoint. */
export const WEBSOCKET_PATH = '/ws';
/** The path of the service's readiness (200 once caught up; its `status` says what is down). */
export const READINESS_PATH = '/readyz';

/** The service's /readyz beside its /ws: same host, http(s) for ws(s). */
export function readinessUrl(websocketUrl: string): string {
  const url = new URL(websocketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = READINESS_PATH;
  url.search = '';
  url.hash = '';
  return url.toString();
}
