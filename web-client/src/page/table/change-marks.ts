/**
 * What the table marks after a change, and for how long. Pure: the time is passed in.
 *
 *   a changed cell   shows "old → new" for MARK_MS (readable on a phone, where nothing hovers, and
 *                    with prefers-reduced-motion, where nothing flashes)
 *   a row entering   is marked "new" for MARK_MS
 *   a row leaving    stays on screen, where it was, for LEAVE_MS as a ghost saying why it went
 *                    (deleted, no longer matches the filter, moved away in the sort order) — unless
 *                    its diff took more than MAX_GHOSTS_PER_DIFF rows away: a transaction that
 *                    replaces the screen leaves no ghosts (they would push the rows now there off
 *                    the screen, and cost a row each to draw on every frame of it)
 *
 * Which cells changed is the diff's word (a change's or a move's `changed`: the service's list, over
 * every column the table has), not compared again here. updated_at is not marked: the database
 * stamps it on every update, it is news to nobody.
 */
import type { LiveRow, RowId, WindowOp } from '@orders-live/protocol';
import { exactText } from './cell-text.js';
import type { ColumnName } from '../query/table-query.js';

/** Long enough to read "pending → shipped" after looking up from something else. */
export const MARK_MS = 6_000;
/** Long enough to see a row go, short enough not to be mistaken for one still there. */
export const LEAVE_MS = 1_500;
/** About half a phone's screen of rows: more ghosts than that would hide the rows that came instead. */
export const MAX_GHOSTS_PER_DIFF = 8;

const QUIET_COLUMNS: ReadonlySet<string> = new Set(['updated_at']);

type LeaveReason = 'deleted' | 'filtered' | 'moved';

interface CellMark {
  /** The value before, as the database sent it. */
  readonly before: string;
  readonly until: number;
}

export interface Ghost {
  readonly row: LiveRow;
  /** The row's id under the table's key. */
  readonly id: RowId;
  /** Its rank in the window's order when it left: it is drawn there. */
  readonly index: number;
  readonly reason: LeaveReason;
  readonly until: number;
}

export class ChangeMarks {
  readonly #cells = new Map<RowId, Map<ColumnName, CellMark>>();
  readonly #entered = new Map<RowId, number>();
  #ghosts: Ghost[] = [];

  /** One diff: `previous` are the window's rows before it, from rank `previousOffset`; `idOf`: a row's id under the table's key. */
  record(previous: readonly LiveRow[], previousOffset: number, ops: readonly WindowOp[], now: number, idOf: (row: LiveRow) => RowId): void {
    const before = new Map<RowId, { row: LiveRow; index: number }>();
    previous.forEach((row, index) => before.set(idOf(row), { row, index: previousOffset + index }));
    const leaves = ops.reduce((n, op) => (op.op === 'leave' && before.has(op.key.id) ? n + 1 : n), 0);
    const ghostly = leaves <= MAX_GHOSTS_PER_DIFF;
    for (const op of ops) {
      switch (op.op) {
        case 'change':
        case 'move': {
          const id = idOf(op.row);
          const old = before.get(id)?.row;
          if (old && op.changed) this.#markCells(id, old, op.changed, now);
          break;
        }
        case 'enter':
          // A row the window held does not enter it (applyWindowOps refuses such a step).
          if (!before.has(idOf(op.row))) this.#entered.set(idOf(op.row), now + MARK_MS);
          break;
        case 'leave': {
          const was = before.get(op.key.id);
          if (was && ghostly)
            this.#ghosts.push({ row: was.row, id: op.key.id, index: was.index, reason: op.reason ?? 'moved', until: now + LEAVE_MS });
          break;
        }
      }
    }
  }

  cell(id: RowId, column: ColumnName, now: number): CellMark | undefined {
    const mark = this.#cells.get(id)?.get(column);
    return mark && mark.until > now ? mark : undefined;
  }

  entered(id: RowId, now: number): boolean {
    return (this.#entered.get(id) ?? 0) > now;
  }

  /** Rows that left and are still drawn, minus any that came back (the row itself is shown again). */
  ghosts(now: number, present: (id: RowId) => boolean): readonly Ghost[] {
    return this.#ghosts.filter((ghost) => ghost.until > now && !present(ghost.id));
  }

  /** Forgets what has expired; returns the next expiry (epoch ms) or undefined when nothing is marked. */
  prune(now: number): number | undefined {
    let next: number | undefined;
    const soonest = (until: number) => (next = next === undefined ? until : Math.min(next, until));
    for (const [id, cells] of this.#cells) {
      for (const [column, mark] of cells) {
        if (mark.until <= now) cells.delete(column);
        else soonest(mark.until);
      }
      if (cells.size === 0) this.#cells.delete(id);
    }
    for (const [id, until] of this.#entered) {
      if (until <= now) this.#entered.delete(id);
      else soonest(until);
    }
    this.#ghosts = this.#ghosts.filter((ghost) => ghost.until > now);
    for (const ghost of this.#ghosts) soonest(ghost.until);
    return next;
  }

  /** Forgets everything (a new query: the old rows' marks mean nothing in the new order). */
  clear(): void {
    this.#cells.clear();
    this.#entered.clear();
    this.#ghosts = [];
  }

  /** `changed`: the columns the diff says the row's change altered. */
  #markCells(id: RowId, old: LiveRow, changed: readonly string[], now: number): void {
    let cells = this.#cells.get(id);
    for (const column of changed) {
      const before = exactText(old[column]);
      // A column the old row lacked (a DDL) has no "before" to show.
      if (QUIET_COLUMNS.has(column) || before === undefined) continue;
      if (!cells) {
        cells = new Map();
        this.#cells.set(id, cells);
      }
      // A second change within MARK_MS keeps the first "before": old → newest.
      const earlier = cells.get(column);
      cells.set(column, { before: earlier?.before ?? before, until: now + MARK_MS });
    }
  }
}
