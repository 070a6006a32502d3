/**
 * Checks one client's history against the rules of the system. Pure.
 *
 * The chaos writer makes every update bump `quantity` by exactly one (of an order or of an order
 * line alike), so a row's quantity is its version: a client that applied a row's changes exactly once, in order, sees its quantity go up
 * by one at each update. For an unfiltered client:
 *   lost          a version skipped (gap), or the final view differs from the database
 *   duplicated    a version seen again, or a cursor seen again
 *   out of order  a version going down, or cursors not increasing
 * A filtered client may miss versions while a row is out of its view (leave … enter), nothing else.
 * A reset (cursor too old) replaces the view with a snapshot: versions restart from it.
 */
import type { LiveRow, RowId } from '@orders-live/protocol';

export interface ObservedChange {
  readonly op: 'insert' | 'update' | 'delete' | 'enter' | 'leave';
  /** The row as problems name it: orders' id, a line's "order_id/line_no". */
  readonly id: RowId;
  /** The row after the change: undefined for delete; for leave, the row as it is now (out of the view). */
  readonly row: LiveRow | undefined;
  /** The row before, as the client held it. */
  readonly previous: LiveRow | undefined;
  readonly cursor: string;
}

export interface Verdict {
  lost: number;
  duplicated: number;
  outOfOrder: number;
  problems: string[];
}

export function emptyVerdict(): Verdict {
  return { lost: 0, duplicated: 0, outOfOrder: 0, problems: [] };
}

const MAX_PROBLEMS_LISTED = 20;

function note(verdict: Verdict, kind: 'lost' | 'duplicated' | 'outOfOrder', problem: string): void {
  verdict[kind] += 1;
  if (verdict.problems.length < MAX_PROBLEMS_LISTED) verdict.problems.push(`${kind}: ${problem}`);
}

/**
 * Checks a client's changes since its last snapshot. `previous` is what the client held before each
 * change (from its own view), so a change whose quantity is not previous + 1 is a gap or a repeat.
 */
export function checkChanges(
  changes: readonly ObservedChange[],
  filtered: boolean,
  verdict: Verdict,
  compare: (a: string, b: string) => number,
): void {
  let lastCursor: string | undefined;
  for (const change of changes) {
    if (lastCursor !== undefined) {
      const order = compare(change.cursor, lastCursor);
      if (order === 0) note(verdict, 'duplicated', `cursor ${change.cursor} applied twice`);
      else if (order < 0) note(verdict, 'outOfOrder', `cursor ${change.cursor} after ${lastCursor}`);
    }
    lastCursor = change.cursor;
    const before = version(change.previous);
    const after = version(change.row);
    switch (change.op) {
      case 'update':
        if (before === undefined || after === undefined) {
          note(verdict, 'lost', `update of row ${change.id} the client did not have`);
        } else if (after === before + 1) {
          // exactly the next version
        } else if (after === before) {
          note(verdict, 'duplicated', `row ${change.id} version ${after} again`);
        } else if (after < before) {
          note(verdict, 'outOfOrder', `row ${change.id} version ${before} → ${after}`);
        } else if (!filtered) {
          note(verdict, 'lost', `row ${change.id} version ${before} → ${after} (skipped ${after - before - 1})`);
        } else {
          note(verdict, 'lost', `row ${change.id} version ${before} → ${after} inside a filtered view`);
        }
        break;
      case 'insert':
      case 'enter':
        if (change.previous !== undefined) note(verdict, 'duplicated', `row ${change.id} ${change.op} while the client had it`);
        break;
      case 'leave':
        if (change.previous === undefined) note(verdict, 'duplicated', `row ${change.id} leave while the client did not have it`);
        else if (after !== undefined && before !== undefined && after !== before + 1)
          note(verdict, after > before ? 'lost' : 'outOfOrder', `row ${change.id} left at version ${after} after ${before}`);
        break;
      case 'delete':
        if (change.previous === undefined) note(verdict, 'duplicated', `row ${change.id} delete while the client did not have it`);
        break;
    }
  }
}

/** A row's version: the chaos writer bumps quantity on every update (undefined when there is no row). */
function version(row: LiveRow | undefined): number | undefined {
  const quantity = row?.['quantity'];
  return typeof quantity === 'number' ? quantity : undefined;
}
