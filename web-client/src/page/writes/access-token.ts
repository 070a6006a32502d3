/**
 * The page's access token, when the services have access control on: taken from the URL fragment,
 * `http://localhost:3000/#access_token=<token>` (a fragment never leaves the browser: not sent to the
 * web-client, not in a Referer). The page hands it to the live connection (as the `bearer`
 * subprotocol) and to every orders API call (Authorization: Bearer). Pure.
 *
 * This is the demo's way in (`npm run token` makes one). A real deployment puts a login in front
 * that issues short-lived tokens and hands them to the page, e.g. by redirecting to this fragment.
 */
import { ACCESS_TOKEN_QUERY_PARAMETER } from '@orders-live/protocol';

/** The token in a location.hash such as "#access_token=abc" (other fragment parameters are ignored). */
export function tokenFromFragment(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get(ACCESS_TOKEN_QUERY_PARAMETER);
  return token === null || token.trim() === '' ? undefined : token.trim();
}
