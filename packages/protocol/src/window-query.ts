/** A live window's query: sort order, size and keyset or offset position (subscribe's `window`). */
import * as z from 'zod';
import { columnNameSchema } from './columns.js';

/** Rows one window may hold: a screenful many times over, and a frame of ≤ ~300 KB. */
export const MAX_WINDOW_LIMIT = 1_000;

/**
 * A position in a sort order: the sort column's value and the id (the tie-breaker). It need not be
 * a row's: `{value: 5, id: 0}` sits before every row whose value is 5.
 */
export const sortKeySchema = z.strictObject({
  value: z.union([z.string().max(256), z.number(), z.boolean(), z.null()]),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type SortKey = z.infer<typeof sortKeySchema>;

export const orderBySchema = z.strictObject({
  column: columnNameSchema,
  direction: z.enum(['asc', 'desc']),
});
export type OrderBy = z.infer<typeof orderBySchema>;

/**
 * A window: the rows matching the filter, in `orderBy` order (then id, in the same direction),
 * `limit` of them, starting at
 *   offset: n      the n-th row (0-based), for scrolling to any place of `total`;
 *   after: key     the first rows after that sort key (the next page);
 *   before: key    the last rows before that sort key (the previous page), still in sort order;
 *   none of them   the first rows (offset 0).
 * The window is live: rows entering or leaving the filter, or moving past its edges, change it.
 */
export const windowQuerySchema = z
  .strictObject({
    orderBy: orderBySchema,
    limit: z.number().int().min(1).max(MAX_WINDOW_LIMIT),
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    after: sortKeySchema.optional(),
    before: sortKeySchema.optional(),
  })
  .refine((query) => [query.offset, query.after, query.before].filter((at) => at !== undefined).length <= 1, {
    message: 'at most one of offset, after, before',
  });
export type WindowQuery = z.infer<typeof windowQuerySchema>;
