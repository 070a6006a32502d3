/**
 * Rows stay under the pointer: while the reader points into the table (or moves in it with the
 * keyboard), a frame that puts rows above the ones on screen scrolls the table by as many rows, so
 * the row under the pointer is the row that was there (a click aimed at an order's button reaches
 * that order, not the one pushed into its place). The rows that came above are counted and offered
 * ("N new — show"); they are shown when the reader asks, or leaves the table. Pure.
 *
 * Nothing is held back: every row the page shows is as the last frame says, and a change to a row on
 * screen shows at once; only where the table is scrolled to differs.
 */
import type { LiveRow, RowId } from '@orders-live/protocol';

export interface RankedRows {
  readonly offset: number;
  readonly rows: readonly LiveRow[];
}

/**
 * How many ranks the rows on screen moved from `before` to `after` (positive: rows came above them),
 * judged by the first of `candidates` (ids, most wanted first: the row under the pointer, the focused
 * row, then the rows on screen) that both windows hold; undefined when none is in both. `idOf`:
 * a row's id under the table's key.
 */
export function anchorShift(
  before: RankedRows,
  after: RankedRows,
  candidates: readonly RowId[],
  idOf: (row: LiveRow) => RowId,
): number | undefined {
  const rankIn = (window: RankedRows, id: RowId) => {
    const at = window.rows.findIndex((row) => idOf(row) === id);
    return at < 0 ? undefined : window.offset + at;
  };
  for (const id of candidates) {
    const was = rankIn(before, id);
    const is = was === undefined ? undefined : rankIn(after, id);
    if (was !== undefined && is !== undefined) return is - was;
  }
  return undefined;
}
