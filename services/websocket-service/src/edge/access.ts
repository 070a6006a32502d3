/** What a connection's access token grants (see @orders-live/auth); OPEN_ACCESS when access control is off. */
import type { RowFilter } from '@orders-live/protocol';

export interface ConnectionAccess {
  /** Rows the connection may see at most: ANDed with every subscription's own filter. */
  readonly filter: RowFilter | undefined;
  /** Epoch milliseconds at which the token expires and the connection is closed; undefined: never. */
  readonly expiresAt: number | undefined;
}

export const OPEN_ACCESS: ConnectionAccess = Object.freeze({ filter: undefined, expiresAt: undefined });
