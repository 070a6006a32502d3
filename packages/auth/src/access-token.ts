/**
 * What an access token grants, and its claims. A token is an HS256 JWT:
 *
 *   { "sub": "ada", "iat": …, "exp": …,
 *     "tables": { "customers": { "tier": { "eq": "pro" } }, "orders": {} },
 *     "iss"?: AUTH_ISSUER, "aud"?: AUTH_AUDIENCE }
 *
 * `sub` and `exp` are required (a token that never expires is refused). What the holder may see:
 *
 *   tables         exactly the tables it names, each pinned to its filter (a subscription filter of
 *                  that table's columns, packages/protocol/src/filter.ts; `{}`: every row of it);
 *                  any other table is refused (E_TABLE_NOT_GRANTED). `"tables": {}` grants none.
 *   orders_filter  (the claim of tokens minted before there were several tables) the orders table
 *                  only, pinned to this row filter of the orders columns.
 *   neither        every table, every row.
 *   both           refused ('bad-claims'): two answers to one question, and no merge of them is obvious.
 *
 * A token whose filters are not valid filters is refused as a whole: it is never taken for an
 * unpinned one. Whether a filter's columns exist is the service's to check when it is used, against
 * the table as it is then.
 */
import * as z from 'zod';
import {
  DEFAULT_TABLE,
  rowFilterSchema,
  subscriptionFilterSchema,
  tableNameSchema,
  type RowFilter,
  type SubscriptionFilter,
} from '@orders-live/protocol';

/** The claim that pins a row filter of the orders table (and grants no other table). */
export const ORDERS_FILTER_CLAIM = 'orders_filter';

/** The claim that names the tables granted, each with its row filter. */
export const TABLES_CLAIM = 'tables';

/** The table orders_filter pins: the orders table (the one with a write API). */
export const ORDERS_TABLE = DEFAULT_TABLE;

/** The only algorithm accepted: a shared secret between the token's issuer and the services. */
export const TOKEN_ALGORITHM = 'HS256';

/** A row filter per table granted; a table not in it is not granted. */
export type TableGrants = ReadonlyMap<string, SubscriptionFilter>;

export interface Access {
  /** Who holds the token (its `sub`), for logs. */
  readonly subject: string;
  /** Epoch milliseconds from which the token is refused (its `exp`). */
  readonly expiresAt: number;
  /** The tables granted, each with its pinned filter; undefined: every table, every row. */
  readonly tables: TableGrants | undefined;
}

/** Whether a table is granted and, if so, the filter pinned on it (undefined: every row). */
export type TableGrant = { readonly granted: false } | { readonly granted: true; readonly filter: SubscriptionFilter | undefined };

/** The grant of one table under `tables` (undefined: every table, every row). */
export function tableGrant(tables: TableGrants | undefined, table: string): TableGrant {
  if (tables === undefined) return { granted: true, filter: undefined };
  const filter = tables.get(table);
  if (filter === undefined) return { granted: false };
  // `{}` pins nothing: callers need not tell it from no filter.
  return { granted: true, filter: Object.keys(filter).length > 0 ? filter : undefined };
}

/** The `tables` claim: table name → subscription filter. */
export const tablesClaimSchema = z.record(tableNameSchema, subscriptionFilterSchema);

/** The claims the services read, once the signature and the registered claims have been checked. */
export const accessClaimsSchema = z
  .looseObject({
    sub: z.string().min(1),
    exp: z.number().int().positive(),
    [ORDERS_FILTER_CLAIM]: rowFilterSchema.optional(),
    [TABLES_CLAIM]: tablesClaimSchema.optional(),
  })
  .refine((claims) => claims[ORDERS_FILTER_CLAIM] === undefined || claims[TABLES_CLAIM] === undefined, {
    message: `a token carries ${TABLES_CLAIM} or ${ORDERS_FILTER_CLAIM}, not both`,
  });

/** The grants of a token's claims (already valid): see the table at the top. */
export function grantsOf(claims: {
  readonly [ORDERS_FILTER_CLAIM]?: RowFilter | undefined;
  readonly [TABLES_CLAIM]?: Readonly<Record<string, SubscriptionFilter>> | undefined;
}): TableGrants | undefined {
  const tables = claims[TABLES_CLAIM];
  // A Map, not the parsed object: a table named "constructor" or "__proto__" is then just a name.
  if (tables !== undefined) return new Map(Object.entries(tables));
  const orders = claims[ORDERS_FILTER_CLAIM];
  if (orders !== undefined) return new Map([[ORDERS_TABLE, orders]]);
  return undefined;
}
