/** A live window's query: sort order, size and keyset or offset position (subscribe's `window`). */
import * as z from 'zod';
import { columnNameSchema } from './columns.js';
import { rowIdSchema } from './row-id.js';

/** Rows one window may hold: a screenful many times over, and a frame of ≤ ~300 KB. */
export const MAX_WINDOW_LIMIT = 1_000;

/** Distinct values a window counts by at most: a column with more has no counts (`counts` is empty). */
export const MAX_COUNT_VALUES = 64;

/**
 * A position in a sort order: the sort column's value and the row id (the tie-breaker, row-id.ts).
 * It need not be a row's: `{value: 5, id: 0}` sits before every orders row whose value is 5.
 */
export const sortKeySchema = z.strictObject({
  value: z.union([z.string().max(256), z.number(), z.boolean(), z.null()]),
  id: rowIdSchema,
});
export type SortKey = z.infer<typeof sortKeySchema>;

export const orderBySchema = z.strictObject({
  column: columnNameSchema,
  direction: z.enum(['asc', 'desc']),
});
export type OrderBy = z.infer<typeof orderBySchema>;

/**
 * A window: the rows matching the filter, in `orderBy` order (then row id, in the same direction),
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
    /**
     * The column the window's counts are by: an enum, a boolean or a text column with few values
     * (at most MAX_COUNT_VALUES). Absent: the table's default (orders: status; none for a table without one).
     */
    countBy: columnNameSchema.optional(),
  })
  .refine((query) => [query.offset, query.after, query.before].filter((at) => at !== undefined).length <= 1, {
    message: 'at most one of offset, after, before',
  });
export type WindowQuery = z.infer<typeof windowQuerySchema>;
