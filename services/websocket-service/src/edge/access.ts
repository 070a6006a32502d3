/** What a connection's access token grants (see @orders-live/auth); OPEN_ACCESS when access control is off. */
import type { TableGrants } from '@orders-live/auth';

export interface ConnectionAccess {
  /**
   * The tables the connection may subscribe to, each with the rows it may see at most (ANDed with
   * every subscription's own filter); undefined: every table, every row.
   */
  readonly tables: TableGrants | undefined;
  /** Epoch milliseconds at which the token expires and the connection is closed; undefined: never. */
  readonly expiresAt: number | undefined;
}

export const OPEN_ACCESS: ConnectionAccess = Object.freeze({ tables: undefined, expiresAt: undefined });
