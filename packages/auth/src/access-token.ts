/**
 * What an access token grants, and its claims. A token is an HS256 JWT:
 *
 *   { "sub": "ada", "iat": …, "exp": …, "orders_filter": { "customer_name": { "eq": "Ada Lovelace" } },
 *     "iss"?: AUTH_ISSUER, "aud"?: AUTH_AUDIENCE }
 *
 * `sub` and `exp` are required (a token that never expires is refused). `orders_filter` is optional:
 * a row filter of the wire protocol (packages/protocol/src/filter.ts) that pins which rows the holder
 * may see and touch; without it, every row. A token whose orders_filter is not a valid filter is
 * refused as a whole: it is never taken for an unpinned one.
 */
import * as z from 'zod';
import { rowFilterSchema, type RowFilter } from '@orders-live/protocol';

/** The claim that pins a row filter. */
export const ORDERS_FILTER_CLAIM = 'orders_filter';

/** The only algorithm accepted: a shared secret between the token's issuer and the services. */
export const TOKEN_ALGORITHM = 'HS256';

export interface Access {
  /** Who holds the token (its `sub`), for logs. */
  readonly subject: string;
  /** Epoch milliseconds from which the token is refused (its `exp`). */
  readonly expiresAt: number;
  /** The rows this token may see and touch; undefined: every row. */
  readonly filter: RowFilter | undefined;
}

/** The claims the services read, once the signature and the registered claims have been checked. */
export const accessClaimsSchema = z.looseObject({
  sub: z.string().min(1),
  exp: z.number().int().positive(),
  [ORDERS_FILTER_CLAIM]: rowFilterSchema.optional(),
});
