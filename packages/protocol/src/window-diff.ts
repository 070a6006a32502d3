/**
 * The steps that turn a window's row list into its next one, and applying them. Pure. The server
 * computes them (diffWindows), the client replays them (applyWindowOps), so both sides hold the same
 * list after every diff frame. See WindowOp in window-frames.ts for what each step means.
 *
 * diffWindows: every row of `before` missing from `after` leaves first; then, walking `after` in order,
 * a row not in the list enters at its index, a row elsewhere in the list moves to it, a row in place
 * whose value changed is a change. Rows are compared by identity (rows are immutable values: a new
 * object is a new version); which columns a new version changed is `changedOf`'s answer — the
 * service's, computed once per change over every column the table has (TableChange.changed) — and,
 * where it has none (a caller with two lists only), changedColumns over both rows' columns. A change
 * or move names those columns (`changed`). O(window²) at worst, for windows of at most
 * MAX_WINDOW_LIMIT rows and only for windows a transaction touched.
 */
import type { LiveRow } from './live-row.js';
import type { RowId } from './row-id.js';
import type { WindowOp } from './window-frames.js';
import { changedColumns } from './changed-columns.js';

/** The columns `after` changed of `before` (two versions of one row); undefined: not known, compare them. */
export type ChangedColumnsOf = (before: LiveRow, after: LiveRow) => readonly string[] | undefined;

function compared(before: LiveRow, after: LiveRow): string[] {
  const names = new Set([...Object.keys(after), ...Object.keys(before)]);
  return changedColumns([...names], before, after);
}

/** A row's id in its table (rowIdFunction of the table's key). */
export type RowIdOf = (row: LiveRow) => RowId;

export function diffWindows(
  before: readonly LiveRow[],
  after: readonly LiveRow[],
  idOf: RowIdOf,
  changedOf?: ChangedColumnsOf,
): WindowOp[] {
  const changedBetween = (was: LiveRow, row: LiveRow): string[] => {
    const known = changedOf?.(was, row);
    return known ? [...known] : compared(was, row);
  };
  const ops: WindowOp[] = [];
  const next = new Set(after.map(idOf));
  const list: LiveRow[] = [];
  for (const row of before) {
    if (next.has(idOf(row))) list.push(row);
    else ops.push({ op: 'leave', key: { id: idOf(row) } });
  }
  const present = new Set(list.map(idOf));
  for (let index = 0; index < after.length; index++) {
    const row = after[index]!;
    const id = idOf(row);
    const here = list[index];
    if (here !== undefined && idOf(here) === id) {
      if (here !== row) {
        const changed = changedBetween(here, row);
        if (changed.length > 0) ops.push({ op: 'change', row, changed });
        list[index] = row;
      }
      continue;
    }
    if (present.has(id)) {
      const from = list.findIndex((candidate) => idOf(candidate) === id);
      const was = list[from]!;
      const changed = was === row ? [] : changedBetween(was, row);
      list.splice(from, 1);
      list.splice(index, 0, row);
      ops.push(changed.length > 0 ? { op: 'move', key: { id }, row, index, changed } : { op: 'move', key: { id }, row, index });
    } else {
      list.splice(index, 0, row);
      present.add(id);
      ops.push({ op: 'enter', row, index });
    }
  }
  return ops;
}

/** Applies a diff's steps to a copy of `rows`; an Error when a step does not fit the list. */
export function applyWindowOps<Row extends LiveRow>(
  rows: readonly Row[],
  ops: readonly WindowOp[],
  idOf: RowIdOf,
): (Row | LiveRow)[] | Error {
  const list: (Row | LiveRow)[] = [...rows];
  for (const step of ops) {
    switch (step.op) {
      case 'leave': {
        const at = list.findIndex((row) => idOf(row) === step.key.id);
        if (at < 0) return new Error(`leave: row ${step.key.id} is not in the window`);
        list.splice(at, 1);
        break;
      }
      case 'enter': {
        if (step.index > list.length) return new Error(`enter: index ${step.index} is past the window's end`);
        const id = idOf(step.row);
        if (list.some((row) => idOf(row) === id)) return new Error(`enter: row ${id} is already in the window`);
        list.splice(step.index, 0, step.row);
        break;
      }
      case 'move': {
        const at = list.findIndex((row) => idOf(row) === step.key.id);
        if (at < 0 || idOf(step.row) !== step.key.id) return new Error(`move: row ${step.key.id} is not in the window`);
        list.splice(at, 1);
        if (step.index > list.length) return new Error(`move: index ${step.index} is past the window's end`);
        list.splice(step.index, 0, step.row);
        break;
      }
      case 'change': {
        const id = idOf(step.row);
        const at = list.findIndex((row) => idOf(row) === id);
        if (at < 0) return new Error(`change: row ${id} is not in the window`);
        list[at] = step.row;
        break;
      }
    }
  }
  return list;
}
