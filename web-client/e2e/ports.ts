/** Ports of the services under browser test: apart from npm start's 3000–3002 so both can run at once. */
export const WEB_PORT = Number(process.env['E2E_WEB_PORT'] ?? 3910);
/** Fixed, because the web-client hands this URL to the page at start-up (WEBSOCKET_URL). */
export const WS_PORT = Number(process.env['E2E_WS_PORT'] ?? 3911);
export const API_PORT = Number(process.env['E2E_API_PORT'] ?? 3912);
/** Native Adminer (stack/adminer.sh) for the workflow test. */
export const ADMINER_PORT = Number(process.env['E2E_ADMINER_PORT'] ?? 3913);
