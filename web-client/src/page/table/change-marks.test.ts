import { describe, expect, it } from 'vitest';
import { orderRow } from '@orders-live/testkit/rows';
import type { LiveRow, OrderRow } from '@orders-live/protocol';
import { ChangeMarks, LEAVE_MS, MARK_MS, MAX_GHOSTS_PER_DIFF } from './change-marks.js';
import { tableSlots } from './table-slots.js';

const at = '2026-12-01T10:00:00Z';
const row = (id: number, patch: Partial<OrderRow> = {}) =>
  orderRow(id, { customer_name: `C${id}`, created_at: at, updated_at: at, ...patch });
/** Orders' row id: its id column. */
const idOf = (live: LiveRow) => live['id'] as number;

describe('ChangeMarks', () => {
  it('marks changed cells old → new for MARK_MS (not updated_at), new rows, and keeps the first "before"', () => {
    const marks = new ChangeMarks();
    marks.record(
      [row(1), row(2)],
      0,
      [
        { op: 'change', row: row(1, { quantity: 2, updated_at: 'later' }), changed: ['quantity', 'updated_at'] },
        { op: 'enter', row: row(3), index: 2 },
      ],
      1_000,
      idOf,
    );
    expect(marks.cell(1, 'quantity', 1_000)).toEqual({ before: '1', until: 1_000 + MARK_MS });
    expect(marks.cell(1, 'updated_at', 1_000)).toBeUndefined();
    expect(marks.entered(3, 1_000)).toBe(true);
    marks.record([row(1, { quantity: 2 })], 0, [{ op: 'change', row: row(1, { quantity: 3 }), changed: ['quantity'] }], 2_000, idOf);
    expect(marks.cell(1, 'quantity', 2_000)?.before).toBe('1');
    expect(marks.prune(2_000 + MARK_MS + 1)).toBeUndefined();
    expect(marks.cell(1, 'quantity', 2_000 + MARK_MS + 1)).toBeUndefined();
  });

  it("marks the cells the diff's `changed` names, an added column's too, and no others", () => {
    const marks = new ChangeMarks();
    // `note` was added by a DDL; the service's list is the only say on what changed.
    const old = { ...row(1), note: null };
    const noted = { ...row(1, { status: 'shipped' }), note: 'call first' };
    marks.record([old], 0, [{ op: 'change', row: noted, changed: ['note'] }], 1_000, idOf);
    expect(marks.cell(1, 'note', 1_000)).toEqual({ before: 'null', until: 1_000 + MARK_MS });
    expect(marks.cell(1, 'status', 1_000)).toBeUndefined();
    // A row that changed and moved is marked by its move's list; one pushed by others (no list) is not.
    marks.record(
      [row(2), row(3)],
      0,
      [
        { op: 'move', key: { id: 3 }, row: row(3, { quantity: 9 }), index: 0, changed: ['quantity'] },
        { op: 'move', key: { id: 2 }, row: row(2), index: 1 },
      ],
      2_000,
      idOf,
    );
    expect(marks.cell(3, 'quantity', 2_000)?.before).toBe('1');
    expect(marks.cell(2, 'quantity', 2_000)).toBeUndefined();
  });

  it('keeps a row that left as a ghost where it was, with why, for LEAVE_MS; drawn among the rows', () => {
    const marks = new ChangeMarks();
    marks.record([row(1), row(2), row(3)], 10, [{ op: 'leave', key: { id: 2 }, reason: 'filtered' }], 0, idOf);
    const ghosts = marks.ghosts(0, () => false);
    expect(ghosts).toEqual([{ row: row(2), id: 2, index: 11, reason: 'filtered', until: LEAVE_MS }]);
    const slots = tableSlots({ offset: 10, rows: [row(1), row(3)] }, 10, 2, ghosts);
    expect(
      slots.map((slot) =>
        slot.kind === 'ghost' ? `ghost ${slot.ghost.id}` : slot.kind === 'row' ? `row ${idOf(slot.row)}` : 'placeholder',
      ),
    ).toEqual(['row 1', 'ghost 2', 'row 3']);
    // Back in view: the row itself is drawn, not its ghost.
    expect(marks.ghosts(0, (id) => id === 2)).toEqual([]);
    expect(marks.ghosts(LEAVE_MS, () => false)).toEqual([]);
  });

  it('leaves no ghosts of a diff that took more than MAX_GHOSTS_PER_DIFF rows away (the screen was replaced)', () => {
    const marks = new ChangeMarks();
    const previous = Array.from({ length: MAX_GHOSTS_PER_DIFF + 1 }, (_, i) => row(i + 1));
    const leaves = previous.map((old) => ({ op: 'leave' as const, key: { id: old.id }, reason: 'moved' as const }));
    marks.record(previous.slice(0, -1), 0, leaves.slice(0, -1), 0, idOf);
    expect(marks.ghosts(0, () => false)).toHaveLength(MAX_GHOSTS_PER_DIFF);
    marks.clear();
    marks.record(previous, 0, [...leaves, { op: 'enter', row: row(99), index: 0 }], 0, idOf);
    expect(marks.ghosts(0, () => false)).toEqual([]);
    expect(marks.entered(99, 0)).toBe(true);
  });
});

describe('tableSlots', () => {
  it('draws placeholders where the window does not reach, and a last row that left after the rest', () => {
    const slots = tableSlots({ offset: 5, rows: [row(1), row(2)] }, 4, 4, [{ row: row(9), id: 9, index: 8, reason: 'deleted', until: 1 }]);
    expect(slots.map((slot) => slot.kind)).toEqual(['placeholder', 'row', 'row', 'placeholder', 'ghost']);
  });
});
